using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using static OpenTicketAI.Api.Tests.Infrastructure.TrainingUploads;

namespace OpenTicketAI.Api.Tests.Retraining;

[Collection(ApiCollection.Name)]
public sealed class TrainingJobTests(ApiFixture api)
{
    [Fact]
    public async Task A_job_from_an_uploaded_file_adds_a_version_that_classifies_held_out_tickets_and_has_a_shadow_result()
    {
        var (factory, client, root) = await StartAsync();
        await using var _ = factory;

        var accepted = await client.PostAsync("/models/default/train", Upload(Csv(SyntheticTickets.TrainingSet(tickets: 400, tweets: 0, seed: 21).Rows), ("label", "queue"), ("label", "priority"), ("epochs", "8")));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await WaitForJobAsync(client, accepted.Headers.Location!);

        Assert.Equal("Succeeded", job.GetProperty("state").GetString());
        var version = job.GetProperty("version").GetString()!;
        var shadow = job.GetProperty("shadow");
        Assert.Equal("HeldOut", shadow.GetProperty("source").GetString());
        Assert.Equal(ModelFixture.VersionOne, shadow.GetProperty("againstVersion").GetString());
        var queue = shadow.GetProperty("heads").GetProperty("queue");
        Assert.InRange(queue.GetProperty("candidateAccuracy").GetDouble(), 0.8, 1.0);
        Assert.InRange(queue.GetProperty("activeAccuracy").GetDouble(), 0.0, 1.0);
        Assert.False(job.GetProperty("promoted").GetBoolean());

        // Not promoted by default: the flat model became versioned and still serves 1.0.0.
        Assert.Equal(ModelFixture.VersionOne, await ServedVersionAsync(client));
        var list = await (await client.GetAsync("/models/default/versions")).ReadJsonAsync();
        Assert.True(list.GetProperty("versioned").GetBoolean());
        Assert.Equal(ModelFixture.VersionOne, list.GetProperty("active").GetString());
        var listed = list.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == version);
        Assert.Equal("HeldOut", listed.GetProperty("shadow").GetProperty("source").GetString());
        Assert.False(File.Exists(Path.Combine(root, "model.json")));
        Assert.DoesNotContain(Directory.GetDirectories(root), d => Path.GetFileName(d).StartsWith('.'));

        await (await client.PostAsync($"/models/default/versions/{version}/promote?allowDroppedHeads=true", null)).ReadJsonAsync();
        var heldOut = SyntheticTickets.HeldOut(tickets: 60, tweets: 0, seed: 21);
        var answers = await (await client.PostAsJsonAsync("/predict/batch", new { tickets = heldOut.Select(t => new { subject = t.Text.Subject, body = t.Text.Body }) })).ReadJsonAsync();
        var results = answers.GetProperty("results").EnumerateArray().ToList();
        Assert.All(results, r => Assert.Equal(version, r.GetProperty("model").GetProperty("version").GetString()));
        var correct = results.Zip(heldOut).Count(p => p.First.GetProperty("predictions").GetProperty("queue").GetString() == p.Second.Labels["queue"]);
        Assert.True(correct >= 0.85 * heldOut.Count, $"{correct} of {heldOut.Count} held-out tickets routed correctly");
    }

    [Fact]
    public async Task A_bad_upload_is_refused_naming_the_problem_and_leaves_the_model_untouched()
    {
        var (factory, client, root) = await StartAsync();
        await using var _ = factory;
        var before = Listing(root);

        var missingColumn = await (await client.PostAsync("/models/default/train", Upload("subject,body,prio\nInvoice,charged twice,high\n", ("label", "queue"))))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("queue", missingColumn.ErrorsFor("file")[0], StringComparison.Ordinal);
        var noData = await (await client.PostAsync("/models/default/train", new MultipartFormDataContent { { new StringContent("3"), "epochs" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(noData.ErrorsFor("file"));
        var badEpochs = await (await client.PostAsync("/models/default/train", Upload(Csv(SyntheticTickets.TrainingSet(50, 0).Rows), ("epochs", "zero"))))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(badEpochs.ErrorsFor("epochs"));
        var badFlag = await (await client.PostAsync("/models/default/train?fromFeedback=maybe", null)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(badFlag.ErrorsFor("fromFeedback"));
        await (await client.PostAsync("/models/nope/train", Upload("subject,body,queue\na,b,c\n"))).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(before, Listing(root));
        Assert.Equal(ModelFixture.VersionOne, await ServedVersionAsync(client));
    }

    [Fact]
    public async Task Training_uploads_have_their_own_size_limit_above_the_predict_body_limit()
    {
        var (factory, client, root) = await StartAsync(new()
        {
            ["Predict:MaxRequestBodyBytes"] = "4096",
            ["OpenTicketAI:MaxTrainingUploadBytes"] = "30000",
        });
        await using var _ = factory;
        var csv = Csv(SyntheticTickets.TrainingSet(tickets: 100, tweets: 0, seed: 9).Rows);
        Assert.InRange(Encoding.UTF8.GetByteCount(csv), 8192, 28_000);

        var accepted = await client.PostAsync("/models/default/train", Upload(csv, ("label", "queue"), ("epochs", "2")));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await WaitForJobAsync(client, accepted.Headers.Location!);
        var before = Listing(root);

        var tooLarge = await client.PostAsync("/models/default/train", Upload(csv + csv + csv, ("label", "queue")));
        await tooLarge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, Listing(root));
    }

    [Fact]
    public async Task Only_one_job_runs_at_a_time_and_a_cancelled_job_leaves_the_active_version_and_directory_untouched()
    {
        var (factory, client, root) = await StartAsync();
        await using var _ = factory;
        var before = Listing(root);
        var large = Csv(SyntheticTickets.TrainingSet(tickets: 4000, tweets: 0, seed: 5).Rows);

        var first = await client.PostAsync("/models/default/train", Upload(large, ("label", "queue"), ("epochs", "200")));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var firstId = (await first.ReadJsonAsync()).GetProperty("id").GetString();
        var second = await (await client.PostAsync("/models/default/train", Upload(Csv(SyntheticTickets.TrainingSet(50, 0).Rows), ("label", "queue"))))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(firstId, second.GetProperty("runningJob").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync(first.Headers.Location)).StatusCode);
        var job = await WaitForJobAsync(client, first.Headers.Location!);

        Assert.Equal("Cancelled", job.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("version").ValueKind);
        Assert.Equal(before, Listing(root));
        Assert.Equal(ModelFixture.VersionOne, await ServedVersionAsync(client));
        await (await client.DeleteAsync(first.Headers.Location)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await client.GetAsync("/models/default/train/jobs/unknown")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Retention_keeps_the_newest_versions_but_never_deletes_the_active_or_previous_one()
    {
        var (factory, client, root) = await StartAsync(new() { ["OpenTicketAI:KeepVersions"] = "1" });
        await using var _ = factory;

        var first = await TrainAsync(client);
        Assert.Equal(Sorted(ModelFixture.VersionOne, first), Versions(root));

        var second = await TrainAsync(client);
        Assert.Equal(Sorted(ModelFixture.VersionOne, second), Versions(root));

        await (await client.PostAsync($"/models/default/versions/{second}/promote?allowDroppedHeads=true", null)).ReadJsonAsync();
        var third = await TrainAsync(client);
        Assert.Equal(Sorted(ModelFixture.VersionOne, second, third), Versions(root));
        Assert.Equal(second, await ServedVersionAsync(client));
    }

    [Fact]
    public async Task A_candidate_that_drops_heads_is_shown_and_promoted_only_when_confirmed_while_auto_promote_takes_one_that_keeps_them()
    {
        var (factory, client, _) = await StartAsync(new() { ["OpenTicketAI:AutoPromote"] = "true" });
        await using var _ = factory;

        // The active version has queue, priority, language, sentiment and tags; this upload trains queue and priority only.
        var first = await WaitForJobAsync(client, (await client.PostAsync("/models/default/train", Upload(Csv(SyntheticTickets.TrainingSet(tickets: 300, tweets: 0, seed: 3).Rows), ("label", "queue"), ("label", "priority"), ("epochs", "4")))).Headers.Location!);

        Assert.True(first.GetProperty("state").GetString() == "Succeeded", first.ToString());
        var progress = first.GetProperty("progress");
        Assert.Equal("done", progress.GetProperty("stage").GetString());
        Assert.InRange(progress.GetProperty("epoch").GetInt32(), 1, 4);
        var shadow = first.GetProperty("shadow");
        Assert.Contains("tags", shadow.GetProperty("droppedHeads").EnumerateArray().Select(h => h.GetString()));
        Assert.Contains(shadow.GetProperty("verdict").GetString(), new[] { "Better", "Worse", "Same" });
        Assert.Contains(shadow.GetProperty("heads").GetProperty("queue").GetProperty("verdict").GetString(), new[] { "Better", "Worse", "Same" });
        Assert.Contains("Drops heads", shadow.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.False(first.GetProperty("promoted").GetBoolean());
        var version = first.GetProperty("version").GetString()!;
        var listed = (await (await client.GetAsync("/models/default/versions")).ReadJsonAsync()).GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == version);
        Assert.Equal(["queue", "priority"], listed.GetProperty("heads").EnumerateArray().Select(h => h.GetString()));
        Assert.Contains("tags", listed.GetProperty("againstActive").GetProperty("dropped").EnumerateArray().Select(h => h.GetString()));

        var refused = await (await client.PostAsync($"/models/default/versions/{version}/promote", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("tags", refused.GetProperty("droppedHeads").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(ModelFixture.VersionOne, await ServedVersionAsync(client));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/models/default/versions/{version}/promote?allowDroppedHeads=true", null)).StatusCode);
        Assert.Equal(version, await ServedVersionAsync(client));

        // The same heads again: auto-promote serves the new version when its shadow evaluation is at least as good.
        var second = await WaitForJobAsync(client, (await client.PostAsync("/models/default/train", Upload(Csv(SyntheticTickets.TrainingSet(tickets: 300, tweets: 0, seed: 4).Rows), ("label", "queue"), ("label", "priority"), ("epochs", "4")))).Headers.Location!);
        Assert.Empty(second.GetProperty("shadow").GetProperty("droppedHeads").EnumerateArray());
        var better = second.GetProperty("shadow").GetProperty("verdict").GetString() != "Worse";
        Assert.Equal(better, second.GetProperty("promoted").GetBoolean());
        Assert.Equal(better ? second.GetProperty("version").GetString() : version, await ServedVersionAsync(client));
    }

    [Fact]
    public async Task Shadow_evaluation_matches_labels_case_insensitively_and_an_uploads_label_map_keeps_the_active_taxonomy()
    {
        var (factory, client, root) = await StartAsync();
        await using var _ = factory;
        // The active version says "high"; the help desk's export and its agents' feedback say "High".
        await StoreLabelledTicketsAsync(factory, Capitalized(SyntheticTickets.HeldOut(tickets: 60, tweets: 0, seed: 41)));

        var accepted = await client.PostAsync("/models/default/train", Upload(
            Csv(Capitalized(SyntheticTickets.TrainingSet(tickets: 300, tweets: 0, seed: 42).Rows)),
            ("label", "queue"), ("label", "priority"), ("epochs", "5"),
            ("labelMap", "priority:High=high"), ("labelMap", "priority:Medium=medium"), ("labelMap", "priority:Low=low")));
        var job = await WaitForJobAsync(client, accepted.Headers.Location!);

        Assert.True(job.GetProperty("state").GetString() == "Succeeded", job.ToString());
        var priority = job.GetProperty("shadow").GetProperty("heads").GetProperty("priority");
        Assert.InRange(priority.GetProperty("activeAccuracy").GetDouble(), 0.6, 1.0);
        Assert.InRange(priority.GetProperty("candidateAccuracy").GetDouble(), 0.6, 1.0);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, job.GetProperty("version").GetString()!, "model.json"))).RootElement;
        var labels = manifest.GetProperty("heads").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "priority").GetProperty("labels");
        Assert.Equal(["high", "low", "medium"], labels.EnumerateArray().Select(l => l.GetString()).Order(StringComparer.Ordinal));

        var unknownHead = await (await client.PostAsync("/models/default/train", Upload(Csv(SyntheticTickets.TrainingSet(50, 0).Rows), ("label", "queue"), ("labelMap", "urgency:High=high"))))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("urgency", unknownHead.ErrorsFor("labelMap")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_from_feedback_alone_builds_a_version_and_shadow_evaluates_it_on_feedback_it_never_saw()
    {
        var (factory, client, _) = await StartAsync();
        await using var _ = factory;
        await StoreLabelledTicketsAsync(factory, SyntheticTickets.TrainingSet(tickets: 300, tweets: 0, seed: 31).Rows);

        var accepted = await client.PostAsync("/models/default/train", new MultipartFormDataContent { { new StringContent("true"), "fromFeedback" }, { new StringContent("8"), "epochs" } });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await WaitForJobAsync(client, accepted.Headers.Location!);

        Assert.True(job.GetProperty("state").GetString() == "Succeeded", job.ToString());
        Assert.True(job.GetProperty("fromFeedback").GetBoolean());
        Assert.Equal(300, job.GetProperty("rows").GetInt32());
        var shadow = job.GetProperty("shadow");
        Assert.Equal("Feedback", shadow.GetProperty("source").GetString());
        Assert.InRange(shadow.GetProperty("tickets").GetInt32(), 1, 299);
        Assert.InRange(shadow.GetProperty("heads").GetProperty("queue").GetProperty("candidateAccuracy").GetDouble(), 0.8, 1.0);
    }

    [Fact]
    public async Task Shadow_evaluation_compares_candidate_and_active_version_on_the_stores_recent_labelled_tickets()
    {
        var (factory, client, _) = await StartAsync();
        await using var _ = factory;
        await StoreLabelledTicketsAsync(factory, SyntheticTickets.HeldOut(tickets: 80, tweets: 0, seed: 41));

        var accepted = await client.PostAsync("/models/default/train", Upload(Csv(SyntheticTickets.TrainingSet(tickets: 300, tweets: 0, seed: 42).Rows), ("label", "queue"), ("epochs", "6")));
        var job = await WaitForJobAsync(client, accepted.Headers.Location!);

        var shadow = job.GetProperty("shadow");
        Assert.Equal("Feedback", shadow.GetProperty("source").GetString());
        Assert.Equal(80, shadow.GetProperty("tickets").GetInt32());
        var queue = shadow.GetProperty("heads").GetProperty("queue");
        Assert.Equal(80, queue.GetProperty("rows").GetInt32());
        Assert.InRange(queue.GetProperty("candidateAccuracy").GetDouble(), 0.8, 1.0);
        Assert.InRange(queue.GetProperty("activeAccuracy").GetDouble(), 0.8, 1.0);
    }

    [Fact]
    public async Task Training_from_an_empty_feedback_store_is_refused_naming_fromFeedback()
    {
        var (factory, client, root) = await StartAsync();
        await using var _ = factory;
        var before = Listing(root);

        var problem = await (await client.PostAsync("/models/default/train?fromFeedback=true", null)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("no labelled tickets", problem.ErrorsFor("fromFeedback")[0], StringComparison.Ordinal);
        Assert.Equal(before, Listing(root));
    }

    /// <summary>Each ticket as a stored prediction with its text, then an agent's feedback on queue and priority.</summary>
    private static async Task StoreLabelledTicketsAsync(ApiFactory factory, IEnumerable<LabeledTicket> rows)
    {
        var store = factory.Services.GetRequiredService<IFeedbackStore>();
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var i = 0;
        foreach (var row in rows)
        {
            var ticket = TicketKey.FromApi($"fb-{i++}");
            await store.RecordPredictionAsync(
                new PredictionRecord(ticket, "default", ModelFixture.VersionOne, at, 1, [new PredictedHead("queue", ["Billing"], 0.5, true)], false, row.Text.Subject, row.Text.Body),
                CancellationToken.None);
            foreach (var (head, label) in row.Labels)
            {
                await store.RecordFeedbackAsync(new FeedbackRecord(ticket, head, label, "agent", at.AddSeconds(i), FeedbackOrigin.Api), CancellationToken.None);
            }
        }
    }

    private static async Task<string> TrainAsync(HttpClient client)
    {
        var accepted = await client.PostAsync("/models/default/train", Upload(Csv(SyntheticTickets.TrainingSet(tickets: 200, tweets: 0, seed: 9).Rows), ("label", "queue"), ("epochs", "3")));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await WaitForJobAsync(client, accepted.Headers.Location!);
        Assert.True(job.GetProperty("state").GetString() == "Succeeded", job.ToString());
        return job.GetProperty("version").GetString()!;
    }

    private async Task<(ApiFactory Factory, HttpClient Client, string Root)> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var directory = api.Models.NewModelsDirectory();
        var root = ModelFiles.Install(api.Models.ModelOne, directory, "default");
        var factory = new ApiFactory(directory, settings);
        var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        return (factory, client, root);
    }

    private static string[] Listing(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToArray();

    // Version names are time stamps with a -2, -3 suffix within one second, so their order is not the training order.
    private static string[] Sorted(params string[] versions) => [.. versions.Order(StringComparer.Ordinal)];

    private static string[] Versions(string root) =>
        Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToArray();

    private static List<LabeledTicket> Capitalized(IEnumerable<LabeledTicket> rows) =>
        rows.Select(r => r with { Labels = r.Labels.ToDictionary(l => l.Key, l => l.Key == "priority" ? char.ToUpperInvariant(l.Value[0]) + l.Value[1..] : l.Value) }).ToList();

    private static async Task<string?> ServedVersionAsync(HttpClient client) =>
        (await (await client.PredictAsync(Tickets.Billing())).ReadJsonAsync()).GetProperty("model").GetProperty("version").GetString();
}

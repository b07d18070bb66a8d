using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Documentation;

/// <summary>
/// The README's "Try it" example sent to the shipped <c>models/default</c>: the answer must be the one the README prints, so
/// README, model and examples cannot drift apart. After retraining the default model, paste the actual answer the failure
/// prints into the README's JSON block (labels as they are; confidences as the API rounds them).
/// </summary>
public sealed partial class ReadmeExampleTests
{
    private const double Printed = 1e-4;

    [Fact]
    public async Task The_default_model_answers_the_readme_example_as_the_readme_prints_it()
    {
        var root = RepositoryRoot();
        var tryIt = Section(File.ReadAllText(Path.Combine(root, "README.md")), "## Try it");
        var request = RequestBody().Match(tryIt).Groups["json"].Value;
        var printed = JsonNode.Parse(ResponseBlock().Match(tryIt).Groups["json"].Value)!.AsObject();
        await using var factory = new ApiFactory(Path.Combine(root, "models"));
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        var response = await client.PostAsync("/predict", Tickets.Json(request));
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        var refresh = $"README.md's example output differs from what models/default answers; refresh its JSON block from this answer:\n{actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}";
        Assert.True(JsonNode.DeepEquals(printed["predictions"], actual["predictions"]), refresh);
        Assert.True(JsonNode.DeepEquals(printed["needsReview"], actual["needsReview"]), refresh);
        Assert.True(JsonNode.DeepEquals(printed["model"], actual["model"]), refresh);
        foreach (var (head, value) in printed["confidence"]!.AsObject())
        {
            Assert.True(Math.Abs(value!.GetValue<double>() - actual["confidence"]![head]!.GetValue<double>()) <= Printed, $"confidence.{head}: {refresh}");
        }

        foreach (var (head, alternatives) in printed["alternatives"]!.AsObject().Where(a => a.Key != "..."))
        {
            var expected = alternatives!.AsArray();
            var got = actual["alternatives"]![head]!.AsArray();
            Assert.Equal(expected.Select(a => (string?)a!["label"]), got.Take(expected.Count).Select(a => (string?)a!["label"]));
            Assert.All(expected.Zip(got), pair => Assert.True(Math.Abs((double)pair.First!["score"]! - (double)pair.Second!["score"]!) <= Printed, $"alternatives.{head}: {refresh}"));
        }

        var tags = printed["tagScores"]!.AsObject().Where(t => t.Key != "...").ToList();
        Assert.Equal(tags.Select(t => t.Key), actual["tagScores"]!.AsObject().Select(t => t.Key).Take(tags.Count));
        Assert.All(tags, tag => Assert.True(Math.Abs((double)tag.Value! - (double)actual["tagScores"]![tag.Key]!) <= Printed, $"tagScores.{tag.Key}: {refresh}"));
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{heading}' section.");
        var end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    private static string RepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "OpenTicketAI.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root (OpenTicketAI.sln) is not above the test directory.");
        }

        return root;
    }

    [GeneratedRegex(@"curl -s localhost:8080/predict [^\n]*-d '(?<json>\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex RequestBody();

    [GeneratedRegex(@"```json\n(?<json>\{.*?\n\})\n```", RegexOptions.Singleline)]
    private static partial Regex ResponseBlock();
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OpenTicketAI.Api.Retraining;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Api.Tests.Retraining;

/// <summary>The form of <c>POST /models/{name}/train</c> read field by field, without a server.</summary>
public sealed class TrainingFormTests
{
    [Fact]
    public async Task Every_field_is_read_with_labels_split_on_commas_and_label_maps_per_head()
    {
        var (form, errors) = await TrainingForm.ReadAsync(Request(new()
        {
            ["label"] = new(["queue", "priority=prio, type"]),
            ["epochs"] = "12",
            ["seed"] = "7",
            ["format"] = "CSV",
            ["text"] = "subject,body",
            ["tags"] = "tag_*",
            ["labelMap"] = new(["priority:high=High", "priority: low = Low", "queue:IT=IT Support"]),
        }, withFile: true), CancellationToken.None);

        Assert.Empty(errors);
        Assert.NotNull(form);
        Assert.NotNull(form.File);
        Assert.Equal(["queue", "priority=prio", "type"], form.Labels);
        Assert.Equal((12, 7, "csv", "tag_*"), (form.Epochs, form.Seed, form.Format, form.Tags));
        Assert.Equal(new Dictionary<string, string> { ["high"] = "High", ["low"] = "Low" }, form.LabelMaps["priority"]);
        Assert.Equal("IT Support", form.LabelMaps["queue"]["IT"]);
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var (form, errors) = await TrainingForm.ReadAsync(Request(new()
        {
            ["epochs"] = "0",
            ["seed"] = "x",
            ["format"] = "xlsx",
            ["fromFeedback"] = "maybe",
            ["labelMap"] = new(["priority=High", "priority:high"]),
        }, withFile: true), CancellationToken.None);

        Assert.Null(form);
        Assert.Equal(["epochs", "format", "fromFeedback", "labelMap", "seed"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, errors["labelMap"].Length);
    }

    [Fact]
    public async Task Without_a_file_the_form_needs_fromFeedback_which_the_query_may_give()
    {
        var (missing, errors) = await TrainingForm.ReadAsync(Request([], withFile: false), CancellationToken.None);
        var request = Request([], withFile: false);
        request.QueryString = new QueryString("?fromFeedback=true");
        var (fromQuery, none) = await TrainingForm.ReadAsync(request, CancellationToken.None);

        Assert.Null(missing);
        Assert.Contains("fromFeedback=true", errors["file"][0], StringComparison.Ordinal);
        Assert.Empty(none);
        Assert.True(fromQuery!.FromFeedback);
    }

    [Fact]
    public async Task The_recipe_maps_raw_labels_and_keeps_values_the_map_lacks()
    {
        var (form, _) = await TrainingForm.ReadAsync(Request(new() { ["labelMap"] = "priority:high=High" }, withFile: true), CancellationToken.None);

        var recipe = form!.ToRecipe("upload.csv", "csv", ["queue", "priority"]);

        var priority = recipe.Sources.Single().Labels["priority"];
        Assert.Equal("High", priority.Map!["high"]);
        Assert.Equal(UnmappedLabels.Keep, priority.Unmapped);
        Assert.Null(recipe.Sources.Single().Labels["queue"].Map);
    }

    private static HttpRequest Request(Dictionary<string, StringValues> fields, bool withFile)
    {
        var files = new FormFileCollection();
        if (withFile)
        {
            var content = "subject,body,queue\nInvoice,charged twice,Billing\n"u8.ToArray();
            files.Add(new FormFile(new MemoryStream(content), 0, content.Length, "file", "tickets.csv"));
        }

        var context = new DefaultHttpContext();
        context.Request.ContentType = "multipart/form-data; boundary=otai";
        context.Request.Form = new FormCollection(fields, files);
        return context.Request;
    }
}

using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary>
/// <c>otai train</c> on data or options the user has to fix: exit code 2, a single <c>error:</c> line naming the file,
/// row and column where they apply, and no model directory or staging directory afterwards.
/// </summary>
public sealed class TrainingDataErrorTests : IDisposable
{
    private readonly TempDirectory _work = new();

    private string Model => _work.Combine("model");

    [Fact]
    public async Task Train_names_file_row_and_column_when_a_label_column_is_missing()
    {
        WriteTickets("tickets.csv");

        var run = await TrainAsync("--data", "tickets.csv", "--label", "queue", "--label", "priority=prio");

        AssertRejected(run, "tickets.csv, row 1, column 'prio': no such column; the header has: " + string.Join(", ", TicketFiles.Columns));
    }

    [Fact]
    public async Task Train_names_the_tag_glob_that_matches_no_column()
    {
        WriteTickets("tickets.csv");

        var run = await TrainAsync("--data", "tickets.csv", "--label", "queue", "--tags", "label_*");

        AssertRejected(run, "tickets.csv, row 1, column 'label_*': no such column; the header has: subject, body");
    }

    [Fact]
    public async Task Train_names_the_jsonl_field_that_no_line_has()
    {
        _work.Write("tickets.jsonl", TicketFiles.Jsonl(FixtureTicket.Synthetic(20)));

        var run = await TrainAsync("--data", "tickets.jsonl", "--label", "queue", "--label", "team");

        AssertRejected(run, "tickets.jsonl, column 'team': no line has this field; fields found: body, id, priority, queue, subject, tags, type");
    }

    [Fact]
    public async Task Train_names_the_file_when_it_is_empty()
    {
        _work.Write("tickets.csv", "");

        var run = await TrainAsync("--data", "tickets.csv", "--label", "queue");

        AssertRejected(run, "error: tickets.csv: the file is empty");
    }

    [Fact]
    public async Task Train_names_the_file_when_it_has_a_header_but_no_rows()
    {
        _work.Write("tickets.csv", TicketFiles.CsvHeader + "\n");

        var run = await TrainAsync("--data", "tickets.csv", "--label", "queue");

        AssertRejected(run, "error: tickets.csv: the file has a header but no rows");
    }

    [Fact]
    public async Task Train_names_the_csv_row_holding_invalid_utf8_counting_records_not_lines()
    {
        // Header = row 1, tickets = rows 2-3, row 4 has a body spanning three lines, so the bad byte in row 5 sits on line 7.
        var rows = TicketFiles.Csv(FixtureTicket.Synthetic(2)) + "\"vpn\",\"line one\nline two\nline three\",\"Technical Support\",\"\",\"\",\"\",\"\",\"\"\n\"caf";
        byte[] bytes = [.. TicketFiles.Bytes(rows), 0xE9, .. TicketFiles.Bytes("\",\"broken\",\"Billing\",\"low\",\"\",\"\",\"\",\"\"\n")];
        _work.WriteBytes("tickets.csv", bytes);

        var run = await TrainAsync("--data", "tickets.csv", "--label", "queue");

        AssertRejected(run, "tickets.csv, row 5: invalid UTF-8 at byte", "save the file as UTF-8");
    }

    [Fact]
    public async Task Train_names_the_jsonl_line_holding_invalid_utf8()
    {
        byte[] bytes = [.. TicketFiles.Bytes(TicketFiles.Jsonl(FixtureTicket.Synthetic(2)) + "{\"subject\":\"caf"), 0xE9, .. TicketFiles.Bytes("\",\"queue\":\"Sales\"}\n")];
        _work.WriteBytes("tickets.jsonl", bytes);

        var run = await TrainAsync("--data", "tickets.jsonl", "--label", "queue");

        AssertRejected(run, "tickets.jsonl, line 3: invalid UTF-8 at byte");
    }

    [Fact]
    public async Task Train_names_the_class_with_too_few_rows_and_where_it_is()
    {
        var tickets = FixtureTicket.Synthetic(60).ToList();
        tickets.Insert(10, tickets[0] with { Subject = "printer on fire", Queue = "Facilities" });
        WriteTickets("tickets.csv", tickets);

        var run = await TrainAsync("--data", "tickets.csv", "--label", "queue");

        AssertRejected(run, "head 'queue': class 'Facilities' has 1 row (at tickets.csv:12), fewer than minRowsPerClass = 2");
    }

    [Fact]
    public async Task Train_names_the_data_file_and_where_it_looked_when_it_does_not_exist()
    {
        var run = await TrainAsync("--data", "missing.csv", "--label", "queue");

        AssertRejected(run, $"error: missing.csv: file not found (resolved to {_work.Combine("missing.csv")})");
    }

    [Fact]
    public async Task Train_names_the_recipe_file_when_it_does_not_exist()
    {
        var run = await TrainAsync("--recipe", "missing.recipe.json");

        AssertRejected(run, $"{_work.Combine("missing.recipe.json")}: recipe file not found");
    }

    [Fact]
    public async Task Train_names_a_head_the_recipe_uses_but_does_not_declare()
    {
        WriteTickets("tickets.csv");
        _work.Write("recipe.json", """
            { "heads": { "queue": "single" },
              "sources": [ { "path": "tickets.csv", "labels": { "queue": "queue", "priority": "priority" } } ] }
            """);

        var run = await TrainAsync("--recipe", "recipe.json");

        AssertRejected(run, "tickets.csv: head 'priority' in \"labels\" is not declared in \"heads\" (declared: queue)");
    }

    [Fact]
    public async Task Train_names_a_declared_head_that_no_source_feeds()
    {
        WriteTickets("tickets.csv");
        _work.Write("recipe.json", """
            { "heads": { "queue": "single", "sentiment": "single" },
              "sources": [ { "path": "tickets.csv", "labels": { "queue": "queue" } } ] }
            """);

        var run = await TrainAsync("--recipe", "recipe.json");

        AssertRejected(run, "head 'sentiment' declared in heads but no source feeds it");
    }

    [Fact]
    public async Task Train_names_a_misspelled_recipe_property_instead_of_ignoring_it()
    {
        WriteTickets("tickets.csv");
        _work.Write("recipe.json", """
            {
              "heads": { "queue": "single" },
              "sources": [ { "path": "tickets.csv", "lables": { "queue": "queue" } } ]
            }
            """);

        var run = await TrainAsync("--recipe", "recipe.json");

        AssertRejected(run, "recipe.json, line 3: not a valid recipe", "lables");
    }

    [Fact]
    public async Task Train_rejects_a_recipe_together_with_data_files()
    {
        WriteTickets("tickets.csv");
        _work.Write("recipe.json", """{ "heads": { "queue": "single" }, "sources": [ { "path": "tickets.csv", "labels": { "queue": "queue" } } ] }""");

        var run = await TrainAsync("--recipe", "recipe.json", "--data", "tickets.csv", "--label", "queue");

        AssertRejected(run, "error: give either --recipe or --data, not both");
    }

    [Fact]
    public async Task Train_requires_an_out_directory()
    {
        WriteTickets("tickets.csv");

        var run = await OtaiProcess.RunAsync(_work.Path, "train", "--data", "tickets.csv", "--label", "queue");

        CliAssert.FailsWithUserError(run, "'--out'", "otai train --help");
        Assert.Single(run.StderrLines);
    }

    [Fact]
    public async Task Train_refuses_to_replace_a_file_with_a_model_directory()
    {
        WriteTickets("tickets.csv");
        _work.Write("model", "not a directory");

        var run = await TrainAsync(["--data", "tickets.csv", "--label", "queue", .. OtaiProcess.SmallModel]);

        CliAssert.FailsWithUserError(run, _work.Combine("model"), "is a file");
        Assert.Equal("not a directory", File.ReadAllText(Model));
        CliAssert.NoStagingDirectoriesBeside(Model);
    }

    [Fact]
    public async Task Train_refuses_to_replace_a_directory_that_is_not_a_model_such_as_the_one_holding_the_data()
    {
        WriteTickets("tickets.csv");
        _work.Write("notes.txt", "not part of any model");
        var before = CliAssert.Snapshot(_work.Path);

        var run = await OtaiProcess.RunAsync(_work.Path, ["train", "--data", "tickets.csv", "--label", "queue", "--out", ".", .. OtaiProcess.SmallModel]);

        CliAssert.FailsWithUserError(run, _work.Path, "holds no model.json");
        CliAssert.SameFiles(before, CliAssert.Snapshot(_work.Path));
        CliAssert.NoStagingDirectoriesBeside(_work.Path);
    }

    public void Dispose() => _work.Dispose();

    /// <summary>Exit code 2, stderr is just the error line holding every fragment, and nothing was written.</summary>
    private void AssertRejected(OtaiRun run, params string[] fragments)
    {
        CliAssert.FailsWithUserError(run, fragments);
        Assert.True(run.StderrLines.Count == 1, $"expected only the error line on stderr\n{run}");
        CliAssert.NoModelWritten(Model);
    }

    private void WriteTickets(string name, IEnumerable<FixtureTicket>? tickets = null) =>
        _work.Write(name, TicketFiles.Csv(tickets ?? FixtureTicket.Synthetic(60)));

    private Task<OtaiRun> TrainAsync(params string[] arguments) =>
        OtaiProcess.RunAsync(_work.Path, ["train", .. arguments, "--out", "model"]);
}

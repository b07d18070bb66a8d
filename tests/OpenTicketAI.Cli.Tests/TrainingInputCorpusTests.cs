using System.Text;
using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary>
/// Malformed files of every kind <c>otai train</c> reads (CSV, JSONL, recipe), beside the named cases in
/// <see cref="TrainingDataErrorTests"/>: each must end with exit code 2, one <c>error:</c> line naming the file, and no model directory.
/// </summary>
public sealed class TrainingInputCorpusTests : IDisposable
{
    private readonly TempDirectory _work = new();

    public static TheoryData<string, string> MalformedFiles()
    {
        var good = TicketFiles.Csv(FixtureTicket.Synthetic(30));
        var goodJsonl = TicketFiles.Jsonl(FixtureTicket.Synthetic(30));
        return new TheoryData<string, string>
        {
            { "unterminated-quote.csv", good + "\"Invoice,\"charged twice,Billing\n\"never closed" },
            { "binary.csv", "\0\u0001\u0002PK\u0003\u0004\0\0garbage\0" },
            { "only-commas.csv", ",,,\n,,,\n" },
            { "truncated-line.jsonl", goodJsonl + "{\"subject\": \"x\", \"queue\": " },
            { "array-line.jsonl", goodJsonl + "[1, 2, 3]\n" },
            { "object-label.jsonl", goodJsonl + "{\"subject\": \"x\", \"body\": \"y\", \"queue\": {\"a\": 1}}\n" },
            { "raw-control-character.jsonl", goodJsonl + "{\"subject\": \"a\u0001b\", \"queue\": \"Billing\"}\n" },
            { "deep-nesting.jsonl", goodJsonl + string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500) + "\n" },
            { "not-json.recipe.json", "{" },
            { "array.recipe.json", "[]" },
            { "null.recipe.json", "null" },
            { "deep.recipe.json", string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500) },
            { "wrong-type.recipe.json", """{"heads": "queue", "sources": 5}""" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task Train_refuses_a_malformed_input_file_with_one_error_line_and_no_model(string file, string content)
    {
        _work.WriteBytes(file, Encoding.UTF8.GetBytes(content));
        string[] input = file.EndsWith(".recipe.json", StringComparison.Ordinal)
            ? ["--recipe", file]
            : ["--data", file, "--label", "queue"];

        var run = await OtaiProcess.RunAsync(_work.Path, ["train", .. input, .. OtaiProcess.SmallModel, "--out", "model"]);

        CliAssert.FailsWithUserError(run, file);
        Assert.True(run.StderrLines.Count == 1, $"expected only the error line on stderr\n{run}");
        CliAssert.NoModelWritten(_work.Combine("model"));
    }

    public void Dispose() => _work.Dispose();
}

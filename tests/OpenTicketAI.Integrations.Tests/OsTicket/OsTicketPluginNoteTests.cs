using System.Diagnostics;
using OpenTicketAI.Integrations.Tests.Answers;

namespace OpenTicketAI.Integrations.Tests.OsTicket;

/// <summary>
/// The osTicket plugin words its suggested-reply and summary notes from <c>/suggest</c> and <c>/summarize</c> answers exactly
/// as the service words them for the other help desks. Runs the plugin's own functions in php (skipped visibly without php,
/// like the lint test).
/// </summary>
public sealed class OsTicketPluginNoteTests
{
    private const string Harness = """
        <?php
        define('INCLUDE_DIR', '/nonexistent/');
        $src = file_get_contents($argv[1]);
        $src = preg_replace('/^require_once.*$/m', '', $src);
        $src = str_replace('class OpenTicketAIPlugin extends Plugin', 'class OpenTicketAIPlugin', $src);
        eval('?>' . $src);
        $suggest = json_decode('{"draft":"Hello,\nwe refunded the duplicate charge; it shows within five business days.","confidence":0.83,"needsReview":false,"threshold":0.6,"sources":[{"collection":"tickets","kind":"Tickets","id":"T-17","title":"Charged twice","reference":"4711","confidence":0.83,"answer":"..."},{"collection":"articles","kind":"Articles","id":"refunds","title":"Refunds","reference":"https://help.example.com/refunds","confidence":0.71,"answer":"..."}]}', true);
        $summary = json_decode('{"summary":["The payment for invoice INV-2024-0042 was charged twice.","Please refund the second charge."],"facts":{"orderNumbers":[],"invoiceNumbers":["INV-2024-0042"],"dates":[],"versions":[],"errorCodes":[]},"sentences":6,"method":"lexrank-embeddings"}', true);
        $prediction = json_decode('{"predictions":{"queue":"Billing and Payments","tags":["refund","invoice"]},"confidence":{"queue":0.91,"tags":0.77},"needsReview":{"queue":false,"tags":true},"model":{"name":"default","version":"20261203-1"},"id":null,"truncated":false}', true);
        echo implode("\n", OpenTicketAIPlugin::replyLines($suggest)), "\n---\n", implode("\n", OpenTicketAIPlugin::summaryLines($summary)),
            "\n---\n", implode("\n", OpenTicketAIPlugin::noteLines($prediction, array('department Sales')));
        """;

    // /predict answers the model as {"name", "version"}; the note once printed it as "model Array" (found in a real osTicket).
    private const string ClassificationNote = """
        Open Ticket AI (model default 20261203-1):
        queue: Billing and Payments 0.91
        tags: refund, invoice 0.77 (needs review)
        Applied: department Sales
        """;

    [SkippableFact]
    public async Task The_plugin_words_the_classification_reply_and_summary_notes_like_the_service()
    {
        var php = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "php"))
            .FirstOrDefault(File.Exists);
        if (php is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "php is not on PATH; .ci/run installs php-cli before the tests.");
            throw new SkipException("php is not on PATH (apt-get install php-cli): the osTicket plugin's notes were not checked.");
        }

        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "OpenTicketAI.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root (OpenTicketAI.sln) is not above the test directory.");
        }

        var script = Path.Combine(Path.GetTempPath(), $"otai-osticket-notes-{Guid.NewGuid():N}.php");
        await File.WriteAllTextAsync(script, Harness);
        try
        {
            var plugin = Path.Combine(root, "integrations", "osticket", "open-ticket-ai", "class.OpenTicketAIPlugin.php");
            using var process = Process.Start(new ProcessStartInfo(php, [script, plugin]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0, error);
            Assert.Equal(AnswerNotesTests.ReplyNote + "\n---\n" + AnswerNotesTests.SummaryNote + "\n---\n" + ClassificationNote, output);
        }
        finally
        {
            File.Delete(script);
        }
    }
}

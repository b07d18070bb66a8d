using System.Diagnostics;

namespace OpenTicketAI.Integrations.Tests.OsTicket;

/// <summary>The shipped osTicket plugin is valid PHP (<c>php -l</c>); php is required on CI (the test fails without it), skipped visibly elsewhere.</summary>
public sealed class OsTicketPluginLintTests
{
    [SkippableFact]
    public async Task Every_php_file_of_the_osticket_plugin_passes_php_lint()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "OpenTicketAI.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root (OpenTicketAI.sln) is not above the test directory.");
        }

        var files = Directory.GetFiles(Path.Combine(root, "integrations", "osticket"), "*.php", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("plugin.php", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("config.php", StringComparison.Ordinal));

        var php = FindOnPath("php");
        if (php is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "php is not on PATH; .ci/run installs php-cli before the tests.");
            throw new SkipException("php is not on PATH (apt-get install php-cli): the osTicket plugin was not linted.");
        }

        foreach (var file in files)
        {
            using var process = Process.Start(new ProcessStartInfo(php, ["-l", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"php -l {file}: {output}");
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}

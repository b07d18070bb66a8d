namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>
/// Debian's chromium for browser tests, driven by Playwright through its executable path (Playwright's own browser
/// download is never used). <c>.ci/run</c> installs it and sets <c>OTAI_CHROMIUM</c>; under <c>CI=true</c> a missing
/// browser fails the test, elsewhere it skips it.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable("OTAI_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (File.Exists(path))
        {
            return path;
        }

        var message = $"Chromium not found at {path}: install it (apt-get install chromium) or set OTAI_CHROMIUM.";
        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), message);
        Skip.If(true, message);
        return path;
    }

    /// <summary><c>TestResults</c> at the repository root (where <c>.ci/run</c> writes its results), created if needed.</summary>
    public static string ResultsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenTicketAI.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? AppContext.BaseDirectory;
        return Directory.CreateDirectory(Path.Combine(root, "TestResults")).FullName;
    }
}

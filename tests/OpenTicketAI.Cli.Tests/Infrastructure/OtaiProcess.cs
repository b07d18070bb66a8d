using System.Diagnostics;

namespace OpenTicketAI.Cli.Tests.Infrastructure;

/// <summary>What one run of the <c>otai</c> executable did.</summary>
public sealed record OtaiRun(IReadOnlyList<string> Arguments, int ExitCode, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StdoutLines => SplitLines(Stdout);

    public IReadOnlyList<string> StderrLines => SplitLines(Stderr);

    /// <summary>The one stderr line that starts with <c>error:</c>; fails the test unless there is exactly one.</summary>
    public string ErrorLine
    {
        get
        {
            var errors = StderrLines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
            Assert.True(errors.Length == 1, $"expected one 'error:' line on stderr\n{this}");
            return errors[0];
        }
    }

    public override string ToString() =>
        $"otai {string.Join(' ', Arguments)}\nexit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    private static string[] SplitLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToArray();
}

/// <summary>
/// Runs the real <c>otai</c> executable (otai.dll, copied into the test output by the project reference) as a child
/// process with <c>NO_COLOR=1</c>, captures stdout and stderr and kills it after a timeout.
/// </summary>
public static class OtaiProcess
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    /// <summary>Options that keep a training to a second or two: small hash table, narrow hidden layer, few epochs.</summary>
    public static readonly string[] SmallModel = ["--buckets", "4096", "--hidden", "16", "--epochs", "8"];

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "otai.dll");

    public static Task<OtaiRun> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>Runs otai with <paramref name="environment"/> added to the inherited environment (e.g. <c>OTAI__Feedback__ConnectionString</c>).</summary>
    public static async Task<OtaiRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start otai");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"otai {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s");
        }

        return new OtaiRun(arguments, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The dotnet host that runs the tests (the SDK sets DOTNET_HOST_PATH), else dotnet on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}

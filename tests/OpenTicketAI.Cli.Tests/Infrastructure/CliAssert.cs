namespace OpenTicketAI.Cli.Tests.Infrastructure;

/// <summary>Assertions about how <c>otai</c> ends and what it leaves on disk.</summary>
public static class CliAssert
{
    /// <summary>
    /// Exit code 2 and exactly one <c>error:</c> line on stderr holding every fragment, no stack trace, and nothing on stdout.
    /// Returns the error line.
    /// </summary>
    public static string FailsWithUserError(OtaiRun run, params string[] fragments)
    {
        Assert.True(run.ExitCode == 2, $"expected exit code 2\n{run}");
        var error = run.ErrorLine;
        foreach (var fragment in fragments)
        {
            Assert.True(error.Contains(fragment, StringComparison.Ordinal), $"expected the error line to contain \"{fragment}\"\n{run}");
        }

        Assert.DoesNotContain(run.StderrLines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
        Assert.True(run.Stdout.Length == 0, $"expected nothing on stdout\n{run}");
        return error;
    }

    /// <summary>Exit code 0; fails with everything the run printed otherwise.</summary>
    public static void Succeeds(OtaiRun run) => Assert.True(run.ExitCode == 0, $"expected exit code 0\n{run}");

    /// <summary>The model directory was not created and no hidden staging directory (<c>.name.writing-*</c>, <c>.name.old-*</c>) remains beside it.</summary>
    public static void NoModelWritten(string modelDirectory)
    {
        Assert.False(Directory.Exists(modelDirectory), $"{modelDirectory} exists after a failed run");
        NoStagingDirectoriesBeside(modelDirectory);
    }

    public static void NoStagingDirectoriesBeside(string modelDirectory)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(modelDirectory))!;
        var prefix = "." + Path.GetFileName(modelDirectory) + ".";
        var leftovers = Directory.Exists(parent)
            ? Directory.GetFileSystemEntries(parent).Select(Path.GetFileName).Where(n => n!.StartsWith(prefix, StringComparison.Ordinal)).ToArray()
            : [];
        Assert.True(leftovers.Length == 0, $"staging left beside {modelDirectory}: {string.Join(", ", leftovers)}");
    }

    /// <summary>Every file under <paramref name="directory"/> by relative path, with its bytes.</summary>
    public static IReadOnlyDictionary<string, byte[]> Snapshot(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes);

    public static void SameFiles(IReadOnlyDictionary<string, byte[]> expected, IReadOnlyDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[file]), $"{file} changed");
        }
    }
}

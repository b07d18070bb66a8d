using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace OpenTicketAI.Api.Tests.Packaging;

/// <summary>
/// No Docker engine runs here, so the image is checked by its parts: the publish command the Dockerfile runs must
/// produce the entry assembly it starts, and everything it copies from the repository must exist.
/// </summary>
public partial class DockerfileTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

    [Fact]
    public async Task The_dockerfile_publish_command_produces_the_entry_assembly_and_native_runtime()
    {
        var publishes = PublishCommand().Matches(Dockerfile);
        Assert.True(publishes.Count > 0, "the Dockerfile has no 'RUN dotnet publish ... -o /app/publish' step");
        var output = Directory.CreateTempSubdirectory("otai-publish-").FullName;
        var artifacts = Directory.CreateTempSubdirectory("otai-publish-artifacts-").FullName;
        try
        {
            foreach (Match publish in publishes)
            {
                // Its own obj/ and bin/, as in the image's build stage: a restore for linux-x64 in the repository's obj/
                // would rewrite the project.assets.json that the solution's own builds use.
                var arguments = publish.Groups["args"].Value.Replace("/app/publish", output, StringComparison.Ordinal);
                var (exitCode, log) = await RunAsync("dotnet", $"publish {arguments} --artifacts-path {artifacts}", Root);
                Assert.True(exitCode == 0, log);
            }

            var entrypoint = File.ReadAllText(Path.Combine(Root, "docker", "entrypoint.sh"));
            var entryAssembly = EntryAssembly().Match(entrypoint).Groups["dll"].Value;
            Assert.Equal("OpenTicketAI.Api.dll", entryAssembly);
            Assert.True(File.Exists(Path.Combine(output, entryAssembly)));
            Assert.True(File.Exists(Path.Combine(output, "OpenTicketAI.Api.runtimeconfig.json")));
            Assert.True(File.Exists(Path.Combine(output, "appsettings.json")));
            Assert.True(File.Exists(Path.Combine(output, "libonnxruntime.so")), "ONNX Runtime's native library is missing from the publish output");
            using (var entry = new PEReader(File.OpenRead(Path.Combine(output, entryAssembly))))
            {
                Assert.True(entry.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "the entry assembly is not ReadyToRun-compiled (a slower cold start)");
            }

            // The CLI shares the folder: docker/otai runs it from there.
            Assert.Contains("exec dotnet /app/otai.dll", File.ReadAllText(Path.Combine(Root, "docker", "otai")), StringComparison.Ordinal);
            var (cliExit, cliLog) = await RunAsync("dotnet", $"{Path.Combine(output, "otai.dll")} apikey new --client helpdesk --scope predict", output);
            Assert.True(cliExit == 0, cliLog);
            Assert.Contains("sha256:", cliLog, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
            Directory.Delete(artifacts, recursive: true);
        }
    }

    [Fact]
    public void Everything_the_dockerfile_copies_from_the_repository_exists()
    {
        var sources = CopyFromContext().Matches(Dockerfile).SelectMany(m => m.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();

        Assert.Contains("models/", sources);
        Assert.All(sources, source => Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"COPY source '{source}' does not exist"));
    }

    [Fact]
    public void The_docker_build_context_leaves_out_build_output_tests_and_local_data()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", "tests/", ".git/", ".env", "data/" }, ignored);
        Assert.DoesNotContain(ignored, pattern => pattern.StartsWith("src", StringComparison.Ordinal) && !pattern.Contains("/data", StringComparison.Ordinal));
        Assert.DoesNotContain("models/", ignored);
    }

    [Fact]
    public void The_image_seeds_the_default_model_and_declares_port_volume_user_and_healthcheck()
    {
        Assert.True(File.Exists(Path.Combine(Root, "models", "default", "model.json")), "models/default must hold the default model the image seeds");
        Assert.True(File.Exists(Path.Combine(Root, "models", "default", "model.onnx")));
        Assert.Contains("EXPOSE 8080", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("VOLUME [\"/models\", \"/data\"]", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("/health/ready", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Everything_the_service_stores_is_on_a_declared_volume()
    {
        // Relative defaults (data/feedback.db, data/knowledge) would land in /app: read-only for $APP_UID, lost with the container.
        Assert.Contains("OTAI__OpenTicketAI__ModelsPath=/models", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("OTAI__Integrations__DataDirectory=/data", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("OTAI__Feedback__ConnectionString=\"Data Source=/data/feedback.db\"", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("OTAI__Knowledge__Path=/data/knowledge", Dockerfile, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string fileName, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A ReadyToRun publish compiles every assembly ahead of time: minutes on two busy cores.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenTicketAI.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OpenTicketAI.sln not found above the test directory");
    }

    [GeneratedRegex(@"^RUN dotnet publish (?<args>.+)$", RegexOptions.Multiline)]
    private static partial Regex PublishCommand();

    [GeneratedRegex(@"^COPY (?!--from)(?<sources>.+?) \S+$", RegexOptions.Multiline)]
    private static partial Regex CopyFromContext();

    [GeneratedRegex(@"exec dotnet /app/(?<dll>\S+\.dll)")]
    private static partial Regex EntryAssembly();
}

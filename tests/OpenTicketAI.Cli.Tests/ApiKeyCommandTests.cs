using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai apikey new</c>: the key once, and a configuration entry that holds only its SHA-256.</summary>
public sealed class ApiKeyCommandTests : IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Apikey_new_prints_a_random_key_once_and_the_entry_with_its_sha256()
    {
        var run = await OtaiProcess.RunAsync(_work.Path, "apikey", "new", "--client", "zammad", "--scope", "predict", "--scope", "feedback");

        CliAssert.Succeeds(run);
        var key = run.StdoutLines.Select(l => l.Trim()).Single(l => l.StartsWith("otai_", StringComparison.Ordinal));
        Assert.True(key.Length >= 40, key);
        var json = run.Stdout[run.Stdout.IndexOf('{', StringComparison.Ordinal)..(run.Stdout.IndexOf('}', StringComparison.Ordinal) + 1)];
        var entry = JsonDocument.Parse(json).RootElement;
        Assert.Equal("zammad", entry.GetProperty("Client").GetString());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), entry.GetProperty("Hash").GetString());
        Assert.Equal(["predict", "feedback"], entry.GetProperty("Scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Single(run.StdoutLines, l => l.Contains(key, StringComparison.Ordinal));

        var second = await OtaiProcess.RunAsync(_work.Path, "apikey", "new", "--client", "zammad", "--scope", "predict");
        Assert.DoesNotContain(key, second.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--client", "zammad", "--scope", "root")]
    [InlineData("--scope", "predict")]
    [InlineData("--client", "zammad")]
    public async Task Apikey_new_rejects_a_missing_client_or_an_unknown_scope(params string[] arguments)
    {
        var run = await OtaiProcess.RunAsync(_work.Path, ["apikey", "new", .. arguments]);

        CliAssert.FailsWithUserError(run, "see 'otai apikey new --help'");
    }

    public void Dispose() => _work.Dispose();
}

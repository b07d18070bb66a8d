using System.CommandLine;
using System.Text.Json;
using OpenTicketAI.Core.Security;

namespace OpenTicketAI.Cli.Commands;

/// <summary><c>otai apikey new</c>: prints a new API key once, and the configuration entry that holds only its hash.</summary>
internal static class ApiKeyCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var client = new Option<string>("--client", "-c") { Description = "Name of the client that will use the key (e.g. zammad); shown in logs, its own rate limit.", Required = true };
        var scopes = new Option<string[]>("--scope", "-s") { Description = "A scope of the key; repeat for several. admin implies all.", Required = true, AllowMultipleArgumentsPerToken = false };
        scopes.AcceptOnlyFromAmong([.. ApiKeys.ScopeNames]);

        var create = new Command("new", "Create an API key: prints the key once and the Security:ApiKeys entry holding its SHA-256.");
        create.Options.Add(client);
        create.Options.Add(scopes);
        create.SetAction((parse, _) => CommandErrors.RunAsync(async () =>
        {
            var name = parse.GetValue(client)!.Trim();
            if (name.Length == 0)
            {
                throw new ArgumentException("--client must not be empty");
            }

            var chosen = parse.GetValue(scopes)!.Distinct(StringComparer.Ordinal).ToArray();
            var key = ApiKeys.NewKey();
            var hash = ApiKeys.Hash(key);
            var entry = JsonSerializer.Serialize(new { Client = name, Hash = hash, Scopes = chosen }, Indented);
            var output = Console.Out;
            await output.WriteLineAsync($"API key for '{name}' (shown only now; the service stores only its hash):");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"  {key}");
            await output.WriteLineAsync();
            await output.WriteLineAsync("Send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. Add this entry to Security:ApiKeys in appsettings.json:");
            await output.WriteLineAsync();
            await output.WriteLineAsync(entry);
            await output.WriteLineAsync();
            await output.WriteLineAsync("or as environment variables (N = the entry's index):");
            await output.WriteLineAsync($"  OTAI__Security__ApiKeys__N__Client={name}");
            await output.WriteLineAsync($"  OTAI__Security__ApiKeys__N__Hash={hash}");
            for (var i = 0; i < chosen.Length; i++)
            {
                await output.WriteLineAsync($"  OTAI__Security__ApiKeys__N__Scopes__{i}={chosen[i]}");
            }

            return CommandErrors.Ok;
        }));

        return new Command("apikey", "Manage API keys of the REST service.") { create };
    }
}

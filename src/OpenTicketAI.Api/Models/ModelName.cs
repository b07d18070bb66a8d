using System.Text.RegularExpressions;

namespace OpenTicketAI.Api.Models;

/// <summary>A model is named after its directory; names are plain so that no name can point outside the models directory.</summary>
public static partial class ModelName
{
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    public const string Rule = "A model name starts with a letter or digit, followed by up to 63 letters, digits, '.', '_' or '-'.";

    public static bool IsValid(string? name) => name is not null && Matcher().IsMatch(name);

    // \z rather than $: '$' would also accept a trailing newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Matcher();
}

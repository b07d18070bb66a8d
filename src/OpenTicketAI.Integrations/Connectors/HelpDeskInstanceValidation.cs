using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenTicketAI.Integrations.Connectors;

/// <summary>Start-up checks every connector runs on its instances; messages name the configuration key.</summary>
public static partial class HelpDeskInstanceValidation
{
    public static void Validate(string section, IReadOnlyList<HelpDeskInstanceOptions> instances, string? reviewQueue, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var key = $"{section}:Instances:{i.ToString(CultureInfo.InvariantCulture)}";
            if (!NamePattern().IsMatch(instance.Name ?? string.Empty))
            {
                errors.Add($"{key}:Name must be 1 to 64 letters, digits, '-' or '_' (it is part of the webhook URL); got '{instance.Name}'.");
            }
            else if (!names.Add(instance.Name!))
            {
                errors.Add($"{key}:Name '{instance.Name}' is used by another instance.");
            }

            foreach (var head in instance.Heads.Where(h => !HelpDeskInstanceOptions.WritableHeads.Contains(h, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"{key}:Heads: '{head}' cannot be written back; use any of {string.Join(", ", HelpDeskInstanceOptions.WritableHeads)}.");
            }

            CheckMapping(key + ":Mappings:Queues", instance.Mappings.Queues, errors);
            CheckMapping(key + ":Mappings:Priorities", instance.Mappings.Priorities, errors);
            CheckMapping(key + ":Mappings:Tags", instance.Mappings.Tags, errors);
            if (instance.Answers.Collection is { } collection && !CollectionPattern().IsMatch(collection))
            {
                errors.Add($"{key}:Answers:Collection must be a collection name (a letter or digit, then up to 63 letters, digits, '.', '_' or '-'); got '{collection}'.");
            }

            if (instance.Answers.SummarySentences is < 1 or > 20)
            {
                errors.Add($"{key}:Answers:SummarySentences must be between 1 and 20; got {instance.Answers.SummarySentences.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (!instance.Enabled)
            {
                continue;
            }

            if (!Uri.TryCreate(instance.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{key}:BaseUrl must be an absolute http(s) URL of the help desk; got '{instance.BaseUrl}'.");
            }

            if (reviewQueue is not null && !instance.Mappings.Queues.Keys.Contains(reviewQueue, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{key}:Mappings:Queues has no entry for the review queue '{reviewQueue}' (Integrations:Review:Queue); map it to the help desk's queue for tickets that need review.");
            }
        }
    }

    private static void CheckMapping(string key, Dictionary<string, string> mapping, List<string> errors)
    {
        foreach (var (label, value) in mapping)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{key}:{label} is empty; remove the entry to skip that label.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex CollectionPattern();
}

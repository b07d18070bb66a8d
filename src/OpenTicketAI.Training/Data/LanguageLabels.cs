using OpenTicketAI.Core.Language;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Data;

/// <summary>Applies a recipe's <see cref="LanguageCheck"/>: compares each row's language label with what its text is written in.</summary>
internal static class LanguageLabels
{
    public static LanguageCheckSummary Apply(LanguageCheck check, List<LabeledTicket> rows, CancellationToken cancellationToken)
    {
        var identifier = new LanguageIdentifier(new LanguageOptions { Languages = check.Languages });
        var changes = new Dictionary<string, int>(StringComparer.Ordinal);
        var (disagreed, undetermined) = (0, 0);
        for (var i = 0; i < rows.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = rows[i];
            var given = row.Labels.TryGetValue(check.Head, out var label) ? LanguageCodes.Normalize(label) : null;
            var found = identifier.Identify(row.Text).Labels[0];
            var determined = found != LanguageCodes.Undetermined;
            undetermined += determined ? 0 : 1;
            if (given is not null && determined && given != found)
            {
                disagreed++;
                var change = $"{given}→{found}";
                changes[change] = changes.GetValueOrDefault(change) + 1;
            }

            var kept = check.Mode == LanguageCheckMode.Identify
                ? (determined ? found : null)
                : (given is not null && (!determined || given == found) ? given : null);
            if (kept != given || (given is not null && label != given))
            {
                var labels = new Dictionary<string, string>(row.Labels, StringComparer.Ordinal);
                if (kept is null)
                {
                    labels.Remove(check.Head);
                }
                else
                {
                    labels[check.Head] = kept;
                }

                rows[i] = row with { Labels = labels };
            }
        }

        var mode = check.Mode == LanguageCheckMode.Identify ? "identify" : "flag";
        var ordered = changes.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        return new LanguageCheckSummary(check.Head, mode, rows.Count, disagreed, undetermined, ordered);
    }
}

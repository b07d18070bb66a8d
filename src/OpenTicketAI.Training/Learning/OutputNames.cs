namespace OpenTicketAI.Training.Learning;

/// <summary>Graph output names: head names sanitised to [a-z0-9_], unique and distinct from the graph's input names.</summary>
public static class OutputNames
{
    private static readonly string[] Reserved = ["feature_ids", "feature_weights", "embedding"];

    public static string Sanitize(string headName)
    {
        var chars = headName.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_').ToArray();
        return chars.Length == 0 ? "head" : new string(chars);
    }

    /// <summary>Sanitised names in head order; a clash gets a numeric suffix ("queue_2").</summary>
    public static IReadOnlyList<string> Assign(IEnumerable<string> headNames)
    {
        var taken = new HashSet<string>(Reserved, StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var headName in headNames)
        {
            var name = Sanitize(headName);
            for (var suffix = 2; !taken.Add(name); suffix++)
            {
                name = $"{Sanitize(headName)}_{suffix}";
            }

            names.Add(name);
        }

        return names;
    }
}

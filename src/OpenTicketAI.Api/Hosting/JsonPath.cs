using System.Reflection;
using System.Text;

namespace OpenTicketAI.Api.Hosting;

/// <summary>Field names as clients write them: <c>$.tickets[3].body</c> and <c>Tickets[3].Body</c> both become <c>tickets[3].body</c>.</summary>
public static class JsonPath
{
    public static string ToFieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == BadRequestProblems.RootKey)
        {
            return BadRequestProblems.RootKey;
        }

        var text = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..]
            : path.StartsWith('$') ? path[1..]
            : path;
        text = text.Replace("['", ".", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal).TrimStart('.');
        if (text.Length == 0)
        {
            return BadRequestProblems.RootKey;
        }

        var result = new StringBuilder(text.Length);
        var segmentStart = true;
        foreach (var c in text)
        {
            result.Append(segmentStart ? char.ToLowerInvariant(c) : c);
            segmentStart = c == '.';
        }

        return result.ToString();
    }

    /// <summary>The declared type at <paramref name="field"/> (as returned by <see cref="ToFieldName"/>) inside <paramref name="root"/>, or null if unknown.</summary>
    public static Type? FieldType(Type? root, string field)
    {
        if (root is null || field == BadRequestProblems.RootKey)
        {
            return root;
        }

        var type = root;
        foreach (var segment in field.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket >= 0 ? segment[..bracket] : segment;
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            for (var i = bracket; i >= 0 && i < segment.Length; i = segment.IndexOf('[', i + 1))
            {
                type = ElementType(type);
                if (type is null)
                {
                    return null;
                }
            }
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];
}

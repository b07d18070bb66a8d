namespace OpenTicketAI.Knowledge.Retrieval;

/// <summary>
/// A query's filters resolved to the codes of <see cref="FilterColumns"/>: 0 asks for any value, -1 for a value no row
/// has; <see cref="Excluded"/> is the slot of a document never to return (-1 for none).
/// </summary>
public readonly record struct ColumnFilter(int Queue, int Language, long? From, long? To, int Excluded);

/// <summary>
/// The filter fields of a collection's rows as per-slot arrays beside its <see cref="VectorTable"/>: queue and language
/// as small codes from per-collection dictionaries (0 = none), the date as UTC ticks. A filtered vector scan tests these
/// instead of reading each row's document. Not thread-safe; the collection guards it.
/// </summary>
public sealed class FilterColumns(int capacity = 1024)
{
    private const long NoDate = long.MinValue;

    private readonly Dictionary<string, int> _queueCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _languageCodes = new(StringComparer.Ordinal);
    private int[] _queues = new int[Math.Max(1, capacity)];
    private int[] _languages = new int[Math.Max(1, capacity)];
    private long[] _dates = new long[Math.Max(1, capacity)];

    public void Set(int slot, string? queue, string? language, DateTimeOffset? date)
    {
        Grow(slot + 1);
        _queues[slot] = Code(_queueCodes, queue);
        _languages[slot] = Code(_languageCodes, language);
        _dates[slot] = date?.UtcTicks ?? NoDate;
    }

    /// <summary>The filter for values as the rows store them (language already reduced to its primary tag).</summary>
    public ColumnFilter Resolve(string? queue, string? language, DateTimeOffset? from, DateTimeOffset? to, int excluded) =>
        new(Find(_queueCodes, queue), Find(_languageCodes, language), from?.UtcTicks, to?.UtcTicks, excluded);

    public bool Accepts(int slot, in ColumnFilter filter) =>
        slot != filter.Excluded
        && (filter.Queue == 0 || _queues[slot] == filter.Queue)
        && (filter.Language == 0 || _languages[slot] == filter.Language)
        && (filter.From is not { } from || (_dates[slot] != NoDate && _dates[slot] >= from))
        && (filter.To is not { } to || (_dates[slot] != NoDate && _dates[slot] <= to));

    private static int Code(Dictionary<string, int> codes, string? value)
    {
        if (value is null)
        {
            return 0;
        }

        if (!codes.TryGetValue(value, out var code))
        {
            code = codes.Count + 1;
            codes[value] = code;
        }

        return code;
    }

    private static int Find(Dictionary<string, int> codes, string? value) =>
        value is null ? 0 : codes.GetValueOrDefault(value, -1);

    private void Grow(int slots)
    {
        if (slots <= _queues.Length)
        {
            return;
        }

        var size = Math.Max(slots, _queues.Length * 2);
        Array.Resize(ref _queues, size);
        Array.Resize(ref _languages, size);
        Array.Resize(ref _dates, size);
    }
}

using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace OpenTicketAI.Training.Data;

/// <summary>A data file read once: its text (strict UTF-8, BOM removed) and the SHA-256 of its bytes.</summary>
internal sealed record SourceFile(string DisplayPath, string FullPath, string Text, string Sha256)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<SourceFile> ReadAsync(string displayPath, string fullPath, SourceFormat format, string csvDelimiter, CancellationToken cancellationToken)
    {
        if (!File.Exists(fullPath))
        {
            throw NotFound(displayPath, fullPath);
        }

        var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken).ConfigureAwait(false);
        return FromBytes(displayPath, fullPath, bytes, format, csvDelimiter);
    }

    public static SourceFile Read(string displayPath, string fullPath, SourceFormat format, string csvDelimiter)
    {
        if (!File.Exists(fullPath))
        {
            throw NotFound(displayPath, fullPath);
        }

        return FromBytes(displayPath, fullPath, File.ReadAllBytes(fullPath), format, csvDelimiter);
    }

    public static SourceFile FromBytes(string displayPath, string fullPath, byte[] bytes, SourceFormat format, string csvDelimiter)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var content = bytes.AsSpan();
        if (content.StartsWith(Encoding.UTF8.Preamble))
        {
            content = content[Encoding.UTF8.Preamble.Length..];
        }

        var invalidAt = FindInvalidUtf8(content);
        if (invalidAt >= 0)
        {
            var (row, unit) = Locate(content, invalidAt, format, csvDelimiter);
            throw new TrainingDataException($"invalid UTF-8 at byte {invalidAt}; save the file as UTF-8", displayPath, row, unit: unit);
        }

        var text = StrictUtf8.GetString(content);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TrainingDataException("the file is empty", displayPath);
        }

        return new SourceFile(displayPath, fullPath, text, sha);
    }

    private static TrainingDataException NotFound(string displayPath, string fullPath) =>
        new($"file not found (resolved to {fullPath})", displayPath);

    private static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var buffer = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            Utf8.ToUtf16(bytes, buffer, out var bytesRead, out _, replaceInvalidSequences: false);
            return bytesRead;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The CSV row (records may span lines) or the physical line holding byte <paramref name="offset"/>.</summary>
    private static (int Row, RowUnit Unit) Locate(ReadOnlySpan<byte> bytes, int offset, SourceFormat format, string csvDelimiter)
    {
        var prefix = bytes[..offset];
        if (format != SourceFormat.Csv)
        {
            return (prefix.Count((byte)'\n') + 1, RowUnit.Line);
        }

        // A sentinel stands in for the bad byte so the parser ends in the record that holds it.
        return (CsvSourceReader.CountRecords(StrictUtf8.GetString(prefix) + "\u0001", csvDelimiter), RowUnit.Row);
    }
}

using System.Security.Cryptography;
using System.Text;

namespace OpenTicketAI.Integrations.Connectors;

/// <summary>HMAC signatures of raw webhook bodies, compared in constant time.</summary>
public static class WebhookSignature
{
#pragma warning disable CA5350 // Zammad (X-Hub-Signature) and FreeScout (X-FreeScout-Signature) sign with HMAC-SHA1; we only verify.
    public static byte[] HmacSha1(string key, ReadOnlySpan<byte> body) => HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), body);
#pragma warning restore CA5350

    public static byte[] HmacSha256(string key, ReadOnlySpan<byte> body) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body);

    /// <summary>True when <paramref name="hex"/> (any case) encodes exactly <paramref name="expected"/>; constant time in the digest.</summary>
    public static bool MatchesHex(ReadOnlySpan<byte> expected, string? hex)
    {
        if (string.IsNullOrEmpty(hex) || hex.Length != expected.Length * 2)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[expected.Length];
        if (Convert.FromHexString(hex, actual, out _, out var written) != System.Buffers.OperationStatus.Done || written != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>True when <paramref name="base64"/> encodes exactly <paramref name="expected"/>; constant time in the digest.</summary>
    public static bool MatchesBase64(ReadOnlySpan<byte> expected, string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[expected.Length + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), actual, out var written) || written != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual[..written]);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenTicketAI.Core.Inference;

namespace OpenTicketAI.Api.Models;

/// <summary>Names, sizes and write times of a model directory's files plus a hash of its manifest: changes whenever a file is written, replaced or removed.</summary>
internal static class ModelFingerprint
{
    public static string Compute(string directory)
    {
        try
        {
            var text = new StringBuilder();
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"{file.Name}|{file.Length}|{file.LastWriteTimeUtc.Ticks};");
            }

            var manifest = Path.Combine(directory, ModelDirectory.ManifestFile);
            if (File.Exists(manifest))
            {
                text.Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(manifest))));
            }

            return text.ToString();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}

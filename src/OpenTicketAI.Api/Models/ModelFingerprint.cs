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

            // A versioned model changes when its pointer names another version or the active version's files change.
            var pointer = Path.Combine(directory, ModelLayout.PointerFile);
            if (File.Exists(pointer))
            {
                var bytes = File.ReadAllBytes(pointer);
                text.Append('|').Append(Convert.ToHexString(SHA256.HashData(bytes)));
                try
                {
                    text.Append('|').Append(Compute(ModelLayout.ServingDirectory(directory)));
                }
                catch (ModelLoadException)
                {
                }
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

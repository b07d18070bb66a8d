using System.Diagnostics.CodeAnalysis;

namespace OpenTicketAI.Api.Models;

/// <summary>One model name: the instance currently served under it and the outcome of the latest load.</summary>
internal sealed class ModelSlot(string name, string directory) : IDisposable
{
    private LoadedModel? _current;
    private SlotState _state = SlotState.Initial;

    public string Name { get; } = name;

    public string Directory { get; } = directory;

    /// <summary>Serializes loads and removal of this model.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public LoadedModel? Current => Volatile.Read(ref _current);

    public SlotState State
    {
        get => Volatile.Read(ref _state);
        set => Volatile.Write(ref _state, value);
    }

    public bool TryLease([NotNullWhen(true)] out ModelLease? lease)
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current is null)
            {
                lease = null;
                return false;
            }

            if (current.TryAddReference())
            {
                lease = new ModelLease(current);
                return true;
            }

            // The instance was released after a swap between the read and the increment; its successor is already published.
        }
    }

    /// <summary>Publishes <paramref name="next"/> and drops the store's reference to the previous instance, which is disposed once its last lease ends.</summary>
    public void Swap(LoadedModel? next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        previous?.Release();
    }

    public void Dispose()
    {
        Swap(null);
        Gate.Dispose();
    }
}

/// <param name="AttemptedFingerprint">The files the latest load attempt saw; the watcher skips a model whose files did not change since.</param>
internal sealed record SlotState(bool Attempted, ModelError? LastError, string? AttemptedFingerprint, bool Removed)
{
    public static SlotState Initial { get; } = new(false, null, null, false);
}

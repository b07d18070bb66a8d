using System.Diagnostics;

namespace OpenTicketAI.Knowledge.Collections;

/// <summary>
/// The one-writer-at-a-time lock of a collection across processes (the service, <c>otai index</c>, replicas on a shared
/// volume): an exclusive OS file lock on <c>write.lock</c> in the collection's directory (flock on Linux), which the kernel
/// releases when its process dies, so a crashed writer never leaves the collection locked. Lucene.NET's own write lock does
/// not exclude another process on Linux (measured: a second process opened an IndexWriter while the first held one).
/// </summary>
internal sealed class CollectionLock : IDisposable
{
    public const string FileName = "write.lock";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _file;

    private CollectionLock(FileStream file) => _file = file;

    /// <summary>Waits up to <paramref name="timeout"/> for the lock; then <see cref="KnowledgeBusyException"/>.</summary>
    public static async Task<CollectionLock> AcquireAsync(string directory, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return new CollectionLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException ex) when (IsHeldElsewhere(ex))
            {
                if (Stopwatch.GetElapsedTime(started) >= timeout)
                {
                    throw new KnowledgeBusyException($"another process has been writing collection '{name}' for over {timeout.TotalSeconds:0.#} s; try again.", ex);
                }

                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    /// <summary>EWOULDBLOCK from flock on Unix; a sharing or lock violation on Windows.</summary>
    private static bool IsHeldElsewhere(IOException ex) => ex.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    public void Dispose() => _file.Dispose();
}

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace OpenTicketAI.Api.Retraining;

/// <summary>The training jobs of this process (kept in memory) and the queue the worker takes them from. One job at a time.</summary>
public sealed class TrainingJobs(TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);
    private readonly Channel<TrainingJob> _queue = Channel.CreateUnbounded<TrainingJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lock = new();
    private TrainingJob? _current;

    public ChannelReader<TrainingJob> Queue => _queue.Reader;

    /// <summary>Queues a job unless one is queued or running; then <paramref name="busy"/> is that job.</summary>
    public bool TryEnqueue(TrainingJobRequest request, [NotNullWhen(true)] out TrainingJob? job, [NotNullWhen(false)] out TrainingJob? busy)
    {
        lock (_lock)
        {
            if (_current is { IsFinished: false })
            {
                job = null;
                busy = _current;
                return false;
            }

            job = new TrainingJob(Guid.NewGuid().ToString("N"), request, time.GetUtcNow());
            _jobs[job.Id] = job;
            _current = job;
            busy = null;
            _queue.Writer.TryWrite(job);
            return true;
        }
    }

    public TrainingJob? Find(string model, string id) =>
        _jobs.TryGetValue(id, out var job) && job.Request.Model == model ? job : null;

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        foreach (var job in _jobs.Values)
        {
            job.Dispose();
        }
    }
}

using System.Collections.Concurrent;

namespace OpenTicketAI.Api.Retraining;

/// <summary>
/// Training jobs as the endpoints see them: stored in <see cref="TrainingJobStore"/> (visible from every replica), with the
/// live progress of the job this replica runs laid over the stored one, and a wake-up for the local worker.
/// </summary>
public sealed class TrainingJobs(TrainingJobStore store) : IDisposable
{
    private readonly ConcurrentDictionary<string, RunningTrainingJob> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Who this replica claims jobs as: unique per process, so replicas (and test hosts) never share a job.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Queues a job unless one is queued or running on any replica; then <c>Busy</c> is that job.</summary>
    public async Task<(TrainingJobStatus? Job, TrainingJobStatus? Busy)> EnqueueAsync(TrainingJobRequest request, CancellationToken cancellationToken)
    {
        var result = await store.EnqueueAsync(request, cancellationToken);
        if (result.Job is not null && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }

        return result;
    }

    public async Task<TrainingJobStatus?> FindAsync(string model, string id, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(id, cancellationToken);
        return job is not null && job.Model == model ? Live(job) : null;
    }

    public async Task<IReadOnlyList<TrainingJobStatus>> ListAsync(string model, int limit, CancellationToken cancellationToken) =>
        (await store.ListAsync(model, limit, cancellationToken)).Select(Live).ToList();

    /// <summary>Cancels a queued job, or asks the replica running it to stop (at once when that is this replica).</summary>
    public async Task<(TrainingJobCancel Outcome, TrainingJobStatus? Job)> CancelAsync(string model, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(model, id, cancellationToken) is null)
        {
            return (TrainingJobCancel.NotFound, null);
        }

        var (outcome, job) = await store.RequestCancelAsync(id, cancellationToken);
        if (outcome == TrainingJobCancel.Requested && _running.TryGetValue(id, out var running))
        {
            running.Stop("cancelled");
        }

        return (outcome, job is null ? null : Live(job));
    }

    /// <summary>Waits until a job is queued on this replica or <paramref name="timeout"/> passes (jobs queued elsewhere are found by polling).</summary>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _wake.WaitAsync(timeout, cancellationToken);

    public void Track(RunningTrainingJob job) => _running[job.Id] = job;

    public void Untrack(RunningTrainingJob job) => _running.TryRemove(job.Id, out _);

    public void Dispose() => _wake.Dispose();

    private TrainingJobStatus Live(TrainingJobStatus job)
    {
        if (job.State != TrainingJobState.Running || !_running.TryGetValue(job.Id, out var running))
        {
            return job;
        }

        var (progress, eta) = running.Progress;
        return progress is null ? job : job with { Progress = progress, EtaSeconds = eta };
    }
}

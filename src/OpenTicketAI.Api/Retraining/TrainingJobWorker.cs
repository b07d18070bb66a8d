using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Versions;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Training.Building;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Api.Retraining;

/// <summary>
/// Runs training jobs from <see cref="TrainingJobStore"/> one at a time on this replica: claim the oldest queued job (or one
/// whose replica died) for a lease, train into a hidden work directory beside the model (<c>models/&lt;name&gt;/.job-&lt;id&gt;/</c>),
/// evaluate the candidate against the active version, then move it in as a new version in one rename. A heartbeat renews the
/// lease, saves progress and picks up a cancel request from any replica. A job that fails or is cancelled deletes its work
/// directory; the active version is never touched. A host that stops puts its job back in the queue.
/// </summary>
public sealed partial class TrainingJobWorker(
    TrainingJobs jobs,
    TrainingJobStore jobStore,
    ModelStore store,
    ModelVersions versions,
    IServiceProvider services,
    IOptions<OpenTicketAiOptions> options,
    IOptions<TrainingJobOptions> jobOptions,
    TimeProvider time,
    ILogger<TrainingJobWorker> logger) : BackgroundService
{
    public const string WorkDirectoryPrefix = ".job-";

    private const string LeaseLost = "lease lost";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = jobOptions.Value;
        if (!settings.RunJobs)
        {
            return;
        }

        try
        {
            await DeleteLeftoverWorkDirectoriesAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                ClaimedTrainingJob? claimed;
                try
                {
                    claimed = await jobStore.ClaimAsync(jobs.Owner, settings.Lease, settings.MaxAttempts, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogClaimFailed(logger, ex);
                    claimed = null;
                }

                if (claimed is null)
                {
                    await jobs.WaitForWorkAsync(settings.PollInterval, stoppingToken);
                    continue;
                }

                using var job = new RunningTrainingJob(claimed.Id, claimed.Request, time);
                jobs.Track(job);
                try
                {
                    await RunAsync(job, claimed, stoppingToken);
                }
                finally
                {
                    jobs.Untrack(job);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(RunningTrainingJob job, ClaimedTrainingJob claimed, CancellationToken stoppingToken)
    {
        var model = job.Request.Model;
        var work = Path.Combine(versions.Root(model), WorkDirectoryPrefix + job.Id);
        if (claimed.PreviousOwner is { } previous)
        {
            LogTakenOver(logger, job.Id, model, previous, claimed.Attempt);
        }

        TryDelete(work);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation, stoppingToken);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(job, heartbeatStop.Token);
        var cancellationToken = cancellation.Token;
        TrainingJobOutcome outcome;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var trainer = TrainerOptionsFor(job.Request);
            job.Start(trainer.MaxEpochs);
            LogStarted(logger, job.Id, model, job.Request.Data.Rows.Count, trainer.ModelVersion);

            var candidate = Path.Combine(work, trainer.ModelVersion);
            var built = await Task.Run(() => ModelBuilder.Build(job.Request.Data, trainer, candidate, progress: job, cancellationToken: cancellationToken), cancellationToken);

            job.Stage("shadow");
            var shadow = await ShadowAsync(model, candidate, built.Training.TestRows, job.Request.FromFeedback, cancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(candidate, ShadowEvaluation.FileName), JsonSerializer.SerializeToUtf8Bytes(shadow, ModelJson.Options), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();

            // From here on the job completes: the version is moved in whole, never half.
            var version = await versions.AddVersionAsync(model, candidate, CancellationToken.None);
            var promoted = false;
            if (options.Value.AutoPromote && shadow.CandidateIsAtLeastAsGood())
            {
                // Dropping heads is an admin's decision, never an automatic one.
                var result = await versions.PromoteAsync(model, version, allowDroppedHeads: false, CancellationToken.None);
                promoted = result.Outcome == VersionSwitchOutcome.Switched;
            }

            outcome = new TrainingJobOutcome(TrainingJobState.Succeeded, job.Done(built.Manifest.Training.Epochs), 0, version, promoted, shadow, null);
            LogSucceeded(logger, job.Id, model, version, promoted);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && job.StopReason is null)
        {
            await StopHeartbeatAsync(heartbeatStop, heartbeat);
            TryDelete(work);
            await jobStore.ReleaseAsync(job.Id, jobs.Owner, CancellationToken.None);
            LogReleased(logger, job.Id, model);
            return;
        }
        catch (OperationCanceledException) when (job.StopReason == LeaseLost)
        {
            await StopHeartbeatAsync(heartbeatStop, heartbeat);
            TryDelete(work);
            LogLost(logger, job.Id, model);
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = new TrainingJobOutcome(TrainingJobState.Cancelled, job.Progress.Progress, null, null, false, null, "cancelled");
            LogCancelled(logger, job.Id, model);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            outcome = new TrainingJobOutcome(TrainingJobState.Failed, job.Progress.Progress, null, null, false, null, ex.Message);
            LogFailed(logger, ex, job.Id, model);
        }

        await StopHeartbeatAsync(heartbeatStop, heartbeat);
        TryDelete(work);
        if (!await jobStore.FinishAsync(job.Id, jobs.Owner, outcome, CancellationToken.None))
        {
            LogLost(logger, job.Id, model);
        }
    }

    /// <summary>Renews the lease and saves progress every <see cref="TrainingJobOptions.Heartbeat"/>; stops the job when it is cancelled or taken over.</summary>
    private async Task HeartbeatAsync(RunningTrainingJob job, CancellationToken cancellationToken)
    {
        var settings = jobOptions.Value;
        using var timer = new PeriodicTimer(settings.Heartbeat, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var (progress, eta) = job.Progress;
                try
                {
                    switch (await jobStore.HeartbeatAsync(job.Id, jobs.Owner, settings.Lease, progress, eta, cancellationToken))
                    {
                        case TrainingJobLease.CancelRequested:
                            job.Stop("cancelled");
                            break;
                        case TrainingJobLease.Lost:
                            job.Stop(LeaseLost);
                            return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A database hiccup: the lease has room for a few missed beats.
                    LogHeartbeatFailed(logger, ex, job.Id);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task StopHeartbeatAsync(CancellationTokenSource stop, Task heartbeat)
    {
        await stop.CancelAsync();
        await heartbeat;
    }

    /// <summary>The active version's architecture (features, encoder, hidden width) with a new version stamp.</summary>
    private TrainerOptions TrainerOptionsFor(TrainingJobRequest request)
    {
        var defaults = new TrainerOptions();
        var version = versions.NewVersionName(request.Model);

        var trainer = defaults with
        {
            ModelName = request.Model,
            ModelVersion = version,
            MaxEpochs = request.Epochs ?? defaults.MaxEpochs,
            Seed = request.Seed ?? defaults.Seed,
        };

        var lookup = store.Acquire(request.Model);
        using var lease = lookup.Lease;
        if (lease is null)
        {
            return trainer;
        }

        var manifest = lease.Classifier.Manifest;
        return trainer with
        {
            HiddenDimension = manifest.Graph.HiddenDimension,
            Featurizer = manifest.Featurizer with { Kind = FeaturizerSettings.HashedNgrams },
            Encoder = manifest.Encoder?.Kind switch
            {
                null => null,
                SentenceEncoder.MiniLmKind or SentenceEncoder.MiniLmInt8Kind => manifest.Encoder.Kind,
                _ => lease.Classifier.Directory,
            },
            Features = manifest.Encoder is null ? FeatureMode.Ngrams
                : manifest.Featurizer.Kind == FeaturizerSettings.NoFeaturizer ? FeatureMode.Encoder
                : FeatureMode.Hybrid,
            License = manifest.License,
        };
    }

    /// <summary>
    /// The store's most recent labelled tickets; when the candidate trained on them, the feedback tickets of its own held-out
    /// split instead (it never saw those); with no feedback at all, its whole held-out split.
    /// </summary>
    private async Task<ShadowEvaluation> ShadowAsync(string model, string candidateDirectory, IReadOnlyList<LabeledTicket> testRows, bool trainedOnFeedback, CancellationToken cancellationToken)
    {
        IReadOnlyList<LabeledTicket> rows = [];
        var source = ShadowSource.Feedback;
        if (trainedOnFeedback)
        {
            rows = testRows.Where(FeedbackTickets.IsFromFeedback).ToList();
        }
        else if (services.GetService<IFeedbackStore>() is { } feedback)
        {
            var tickets = await feedback.GetLabelledTicketsAsync(new LabelledTicketQuery(Limit: options.Value.ShadowTickets), cancellationToken);
            rows = FeedbackTickets.ToRows(tickets);
        }

        if (rows.Count == 0)
        {
            rows = testRows;
            source = ShadowSource.HeldOut;
        }

        var activeVersion = versions.List(model)?.Active;
        using var candidate = TicketClassifier.Load(candidateDirectory, store.ClassifierOptions);
        var lookup = store.Acquire(model);
        using var lease = lookup.Lease;
        return ShadowEvaluator.Evaluate(candidate, lease?.Classifier, lease is null ? null : activeVersion, rows, source, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Work directories of jobs no replica runs any more (the models volume may be shared: another replica's live job keeps its own).</summary>
    private async Task DeleteLeftoverWorkDirectoriesAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(store.ModelsPath))
        {
            return;
        }

        foreach (var root in Directory.EnumerateDirectories(store.ModelsPath))
        {
            foreach (var work in Directory.EnumerateDirectories(root, WorkDirectoryPrefix + "*"))
            {
                if (!await jobStore.IsHeldAsync(Path.GetFileName(work)[WorkDirectoryPrefix.Length..], cancellationToken))
                {
                    TryDelete(work);
                }
            }
        }
    }

    private void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(logger, ex, directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} for model {Model} started on {Rows} rows (version {Version})")]
    private static partial void LogStarted(ILogger logger, string job, string model, int rows, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} for model {Model} wrote version {Version} (promoted: {Promoted})")]
    private static partial void LogSucceeded(ILogger logger, string job, string model, string version, bool promoted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} for model {Model} was cancelled; nothing was written")]
    private static partial void LogCancelled(ILogger logger, string job, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "Training job {Job} for model {Model} failed; nothing was written")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} for model {Model} taken over from {PreviousOwner}, whose lease ran out; starting it again (start {Attempt})")]
    private static partial void LogTakenOver(ILogger logger, string job, string model, string previousOwner, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} for model {Model} put back in the queue: the host is stopping")]
    private static partial void LogReleased(ILogger logger, string job, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {Job} for model {Model} stopped here: this replica's lease ran out and another replica took the job over")]
    private static partial void LogLost(ILogger logger, string job, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim a training job; trying again")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of training job {Job}; trying again")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the training work directory {Directory}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string directory);
}

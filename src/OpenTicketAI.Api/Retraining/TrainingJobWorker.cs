using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Versions;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Training.Building;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Api.Retraining;

/// <summary>
/// Runs queued training jobs one after the other: train into a hidden work directory beside the model
/// (<c>models/&lt;name&gt;/.job-&lt;id&gt;/</c>), evaluate the candidate against the active version, then move it in as a new
/// version in one rename. A job that fails or is cancelled deletes its work directory; the active version is never touched.
/// </summary>
public sealed partial class TrainingJobWorker(
    TrainingJobs jobs,
    ModelStore store,
    ModelVersions versions,
    IServiceProvider services,
    IOptions<OpenTicketAiOptions> options,
    TimeProvider time,
    ILogger<TrainingJobWorker> logger) : BackgroundService
{
    public const string WorkDirectoryPrefix = ".job-";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DeleteLeftoverWorkDirectories();
        try
        {
            await foreach (var job in jobs.Queue.ReadAllAsync(stoppingToken))
            {
                await RunAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(TrainingJob job, CancellationToken stoppingToken)
    {
        var model = job.Request.Model;
        var work = Path.Combine(versions.Root(model), WorkDirectoryPrefix + job.Id);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation, stoppingToken);
        var cancellationToken = cancellation.Token;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var trainer = TrainerOptionsFor(job.Request);
            job.Start(time, trainer.MaxEpochs);
            LogStarted(logger, job.Id, model, job.Request.Data.Rows.Count, trainer.ModelVersion);

            var candidate = Path.Combine(work, trainer.ModelVersion);
            var outcome = await Task.Run(() => ModelBuilder.Build(job.Request.Data, trainer, candidate, progress: job, cancellationToken: cancellationToken), cancellationToken);

            job.Stage("shadow");
            var shadow = await ShadowAsync(model, candidate, outcome.Training.TestRows, job.Request.FromFeedback, cancellationToken);
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

            job.Succeed(version, shadow, promoted, outcome.Manifest.Training.Epochs);
            LogSucceeded(logger, job.Id, model, version, promoted);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            job.MarkCancelled();
            LogCancelled(logger, job.Id, model);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            job.Fail(ex.Message);
            LogFailed(logger, ex, job.Id, model);
        }
        finally
        {
            TryDelete(work);
        }
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
                "minilm" => "minilm",
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

    private void DeleteLeftoverWorkDirectories()
    {
        if (!Directory.Exists(store.ModelsPath))
        {
            return;
        }

        foreach (var root in Directory.EnumerateDirectories(store.ModelsPath))
        {
            foreach (var work in Directory.EnumerateDirectories(root, WorkDirectoryPrefix + "*"))
            {
                TryDelete(work);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the training work directory {Directory}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string directory);
}

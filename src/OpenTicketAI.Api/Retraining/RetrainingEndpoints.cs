using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Api.Retraining;

public static class RetrainingEndpoints
{
    public static IEndpointRouteBuilder MapRetrainingEndpoints(this IEndpointRouteBuilder app)
    {
        var uploadLimit = app.ServiceProvider.GetRequiredService<IOptions<OpenTicketAiOptions>>().Value.MaxTrainingUploadBytes;
        var model = app.MapGroup("/models/{name}/train").WithTags("Model versions").RequireScope(ApiScope.Train).AddEndpointFilter<ModelNameFilter>();
        model.MapPost(string.Empty, StartTraining)
            .WithMetadata(new UploadLimit(uploadLimit))
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .WithName("TrainModel")
            .WithSummary("Train a new version in the background from an uploaded file and/or the feedback store")
            .WithDescription("multipart/form-data: 'file' (CSV or JSONL, the columns otai train reads), 'label' (repeat per head, 'head' or 'head=column'; default: the active version's single-label heads), 'labelMap' (repeat, 'head:value=label', e.g. 'priority:high=High' so the new version keeps the active version's labels; unmapped values are kept), 'text', 'tags', 'format', 'epochs', 'seed'; 'fromFeedback=true' (form or query) adds the feedback store's labelled tickets. The data is read before the job is queued, so a bad file is a 400 naming file, row and column. The job is stored in the database and runs on one replica; any replica reports and cancels it. One job at a time: 409 while one is queued or running. The finished job's shadow evaluation gives a verdict head by head and the heads the new version would drop.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        model.MapGet("/jobs", ListJobs)
            .WithName("ListTrainingJobs")
            .WithSummary("The model's training jobs, newest first (at most 50), from any replica");
        model.MapGet("/jobs/{id}", GetJob)
            .WithName("GetTrainingJob")
            .WithSummary("State, progress (epoch of total, ETA), error, and the new version with its shadow evaluation once done")
            .ProducesProblem(StatusCodes.Status404NotFound);
        model.MapDelete("/jobs/{id}", CancelJob)
            .WithName("CancelTrainingJob")
            .WithSummary("Cancel a queued or running job; nothing it wrote is kept and the active version is untouched")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Accepted<TrainingJobStatus>, ValidationProblem, ProblemHttpResult>> StartTraining(
        string name,
        HttpRequest request,
        ModelStore store,
        TrainingJobs jobs,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        if (!ModelLayout.IsModel(Path.Combine(store.ModelsPath, name)))
        {
            return ModelProblems.NotFound(name, store);
        }

        var (form, errors) = await TrainingForm.ReadAsync(request, cancellationToken);
        if (form is null)
        {
            return ValidationProblems.Create(errors);
        }

        TrainingSet? uploaded = null;
        if (form.File is { } file)
        {
            var loaded = await LoadUploadAsync(file, form, name, store, cancellationToken);
            if (loaded.Error is { } error)
            {
                return error;
            }

            uploaded = loaded.Set;
        }

        TrainingSet data;
        if (form.FromFeedback)
        {
            if (services.GetService<IFeedbackStore>() is not { } feedback)
            {
                return ValidationProblems.Create("fromFeedback", "No feedback store is configured (Feedback:Provider), so there are no labelled tickets to train on.");
            }

            var tickets = await feedback.GetLabelledTicketsAsync(new LabelledTicketQuery(), cancellationToken);
            try
            {
                data = FeedbackTickets.Combine(uploaded, tickets);
            }
            catch (TrainingDataException ex)
            {
                return ValidationProblems.Create("fromFeedback", ex.Message);
            }
        }
        else
        {
            data = uploaded!;
        }

        var (job, busy) = await jobs.EnqueueAsync(new TrainingJobRequest(name, data, form.FromFeedback, form.Epochs, form.Seed), cancellationToken);
        if (job is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "A training job is already running.",
                detail: $"Job {busy!.Id} for model '{busy.Model}' is {busy.State}; one job runs at a time. Wait for it or cancel it (DELETE /models/{busy.Model}/train/jobs/{busy.Id}).",
                extensions: new Dictionary<string, object?> { ["runningJob"] = busy.Id, ["model"] = busy.Model });
        }

        return TypedResults.Accepted($"/models/{name}/train/jobs/{job.Id}", job);
    }

    private static async Task<Ok<TrainingJobList>> ListJobs(string name, TrainingJobs jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(new TrainingJobList(name, await jobs.ListAsync(name, 50, cancellationToken)));

    private static async Task<Results<Ok<TrainingJobStatus>, ProblemHttpResult>> GetJob(string name, string id, TrainingJobs jobs, CancellationToken cancellationToken) =>
        await jobs.FindAsync(name, id, cancellationToken) is { } job ? TypedResults.Ok(job) : JobNotFound(name, id);

    private static async Task<Results<Accepted<TrainingJobStatus>, ProblemHttpResult>> CancelJob(string name, string id, TrainingJobs jobs, CancellationToken cancellationToken)
    {
        var (outcome, job) = await jobs.CancelAsync(name, id, cancellationToken);
        return outcome switch
        {
            TrainingJobCancel.NotFound => JobNotFound(name, id),
            TrainingJobCancel.Finished => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The training job has already finished.",
                detail: $"Job {id} is {job!.State}; only a queued or running job can be cancelled.",
                extensions: new Dictionary<string, object?> { ["job"] = id, ["state"] = job.State.ToString() }),
            _ => TypedResults.Accepted($"/models/{name}/train/jobs/{id}", job),
        };
    }

    /// <summary>Saves the upload under a fixed name in a private temporary directory and reads it the way <c>otai train</c> does.</summary>
    private static async Task<(TrainingSet? Set, ValidationProblem? Error)> LoadUploadAsync(IFormFile file, TrainingForm form, string name, ModelStore store, CancellationToken cancellationToken)
    {
        var format = form.Format ?? Path.GetExtension(file.FileName).TrimStart('.').ToLowerInvariant() switch
        {
            "csv" => "csv",
            "jsonl" or "ndjson" => "jsonl",
            _ => null,
        };
        if (format is null)
        {
            return (null, ValidationProblems.Create("format", $"Cannot tell the format of '{file.FileName}'; name it .csv or .jsonl or set format=csv|jsonl."));
        }

        var labels = form.Labels.ToList();
        if (labels.Count == 0 && string.IsNullOrWhiteSpace(form.Tags))
        {
            using var lease = store.Acquire(name).Lease;
            labels = lease?.Classifier.Manifest.Heads.Where(h => h.Kind == HeadKind.SingleLabel).Select(h => h.Name).ToList() ?? [];
            if (labels.Count == 0)
            {
                return (null, ValidationProblems.Create("label", "Name the heads to train ('label', repeat per head); the model serves no version to take them from."));
            }
        }

        var directory = Directory.CreateTempSubdirectory("otai-upload-");
        try
        {
            var fileName = format.Equals("jsonl", StringComparison.OrdinalIgnoreCase) ? "upload.jsonl" : "upload.csv";
            await using (var target = File.Create(Path.Combine(directory.FullName, fileName)))
            {
                await file.CopyToAsync(target, cancellationToken);
            }

            var recipe = form.ToRecipe(fileName, format, labels);
            if (form.LabelMaps.Keys.FirstOrDefault(head => !recipe.Heads.ContainsKey(head)) is { } unknown)
            {
                return (null, ValidationProblems.Create("labelMap", $"'{unknown}' is not a head this upload trains ({string.Join(", ", recipe.Heads.Keys)})."));
            }

            return (await TrainingDataLoader.LoadAsync(recipe, directory.FullName, cancellationToken), null);
        }
        catch (TrainingDataException ex)
        {
            return (null, ValidationProblems.Create("file", ex.Message));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static ProblemHttpResult JobNotFound(string name, string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Training job not found.",
        detail: $"Model '{name}' has no training job '{id}'.",
        extensions: new Dictionary<string, object?> { ["model"] = name, ["job"] = id });

    /// <summary>Lets a training upload exceed <c>Predict:MaxRequestBodyBytes</c> up to <c>OpenTicketAI:MaxTrainingUploadBytes</c>.</summary>
    private sealed record UploadLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}

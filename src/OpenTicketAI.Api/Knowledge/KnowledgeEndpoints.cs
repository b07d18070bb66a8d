using System.Data.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Limits;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Knowledge.Answers;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Summaries;

namespace OpenTicketAI.Api.Knowledge;

public static class KnowledgeEndpoints
{
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder app)
    {
        var ask = app.MapGroup(string.Empty)
            .WithTags("Knowledge")
            .RequireScope(ApiScope.Predict)
            .WithValidation()
            .WithModelConcurrencyLimit();
        ask.MapPost("/similar", Similar)
            .WithName("Similar")
            .WithSummary("Past tickets most similar to a ticket, with their answers")
            .WithDescription("BM25 and encoder cosine fused with the weights tuned for the collection; near-duplicates are collapsed into the best hit (`duplicates`).")
            .ProducesKnowledgeErrors();
        ask.MapPost("/suggest", Suggest)
            .WithName("Suggest")
            .WithSummary("A draft reply from the best past answers and articles, with sources and a confidence")
            .WithDescription("Abstains (no draft, `needsReview: true`) when no source reaches Knowledge:SuggestThreshold. A draft for an agent, never for sending unreviewed.")
            .ProducesKnowledgeErrors();
        ask.MapPost("/kb/suggest", SuggestArticles)
            .WithName("SuggestArticles")
            .WithSummary("Knowledge-base articles for a question (self-service before a ticket is filed)")
            .ProducesKnowledgeErrors();
        ask.MapPost("/summarize", Summarize)
            .WithName("Summarize")
            .WithSummary("Extractive summary of a ticket thread (LexRank) and key facts: order/invoice numbers, dates, versions, error codes")
            .ProducesKnowledgeErrors();
        ask.MapGet("/kb/gaps", Gaps)
            .WithName("KnowledgeGaps")
            .WithSummary("FAQ gaps: groups of recent tickets that no article answers")
            .ProducesKnowledgeErrors();
        ask.MapGet("/knowledge", List)
            .WithName("ListKnowledgeCollections")
            .WithSummary("The knowledge collections with their size and tuned fusion");

        var write = app.MapGroup("/knowledge/{collection}/documents")
            .WithTags("Knowledge")
            .RequireScope(ApiScope.Knowledge)
            .WithValidation();
        write.MapPut(string.Empty, Upsert)
            .WithName("UpsertKnowledgeDocuments")
            .WithSummary("Add or replace documents by id in one commit (idempotent)")
            .ProducesKnowledgeErrors()
            .ProducesProblem(StatusCodes.Status409Conflict);
        write.MapPost("/delete", Delete)
            .WithName("DeleteKnowledgeDocuments")
            .WithSummary("Delete documents by id")
            .ProducesKnowledgeErrors()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static Results<Ok<SimilarResponse>, ProblemHttpResult> Similar([FromBody] SimilarRequest request, KnowledgeStore store, CancellationToken cancellationToken) =>
        Search(request, request.Collection ?? store.Options.TicketsCollection, store, cancellationToken);

    private static Results<Ok<SimilarResponse>, ProblemHttpResult> SuggestArticles([FromBody] SimilarRequest request, KnowledgeStore store, CancellationToken cancellationToken) =>
        Search(request, request.Collection ?? store.Options.ArticlesCollection, store, cancellationToken);

    private static Results<Ok<SimilarResponse>, ProblemHttpResult> Search(SimilarRequest request, string name, KnowledgeStore store, CancellationToken cancellationToken)
    {
        if (store.Find(name) is not { } index)
        {
            return NotFound(name, store);
        }

        var query = new KnowledgeQuery
        {
            Subject = request.Subject,
            Body = request.Body,
            TopK = request.TopK ?? 5,
            Queue = request.Queue,
            Language = request.Language,
            From = request.From,
            To = request.To,
            Mode = request.Mode switch { "lexical" => RetrievalMode.Lexical, "dense" => RetrievalMode.Dense, _ => RetrievalMode.Fused },
        };
        var result = index.Search(query, cancellationToken);
        var hits = result.Hits.Select(h => new SimilarHit(
            h.Document.Id, Math.Round(h.Score, 4), Math.Round(h.Lexical, 4), h.Cosine is { } c ? Math.Round(c, 4) : null, h.Document.Title, h.Document.Body, h.Document.Answer,
            h.Document.Queue, h.Document.Tags, h.Document.Language, h.Document.Date, h.Document.Reference, h.Duplicates)).ToList();
        return TypedResults.Ok(new SimilarResponse(name, result.Mode.ToString().ToLowerInvariant(), hits));
    }

    private static Results<Ok<SuggestResponse>, ProblemHttpResult> Suggest([FromBody] SuggestRequest request, KnowledgeStore store)
    {
        var tickets = store.Find(store.Options.TicketsCollection);
        var articles = store.Find(store.Options.ArticlesCollection);
        if (tickets is null && articles is null)
        {
            return NotFound(store.Options.TicketsCollection, store);
        }

        var query = new KnowledgeQuery { Subject = request.Subject, Body = request.Body, Language = request.Language, Queue = request.Queue };
        var suggestion = ReplySuggester.Suggest(query, tickets, articles, store.Options.SuggestThreshold);
        return TypedResults.Ok(new SuggestResponse(suggestion.Draft, suggestion.Confidence, suggestion.NeedsReview, store.Options.SuggestThreshold, suggestion.Sources));
    }

    private static Ok<SummarizeResponse> Summarize([FromBody] SummarizeRequest request, KnowledgeStore store)
    {
        var summary = new ThreadSummarizer(store.Encoder).Summarize(request.Subject, request.Body!, request.MaxSentences ?? 3);
        return TypedResults.Ok(new SummarizeResponse(summary.Sentences, summary.Facts, summary.SentenceCount, summary.Method));
    }

    private static Results<Ok<GapsResponse>, ProblemHttpResult> Gaps([AsParameters] GapsQuery query, KnowledgeStore store, TimeProvider time)
    {
        if (store.Find(store.Options.TicketsCollection) is not { } tickets)
        {
            return NotFound(store.Options.TicketsCollection, store);
        }

        var until = time.GetUtcNow();
        var since = until.AddDays(-(query.Days ?? 30));
        var gaps = GapFinder.Find(tickets, store.Find(store.Options.ArticlesCollection), since, until, store.Options.GapThreshold, minSize: query.MinSize ?? 2);
        return TypedResults.Ok(new GapsResponse(since, until, store.Options.GapThreshold, gaps));
    }

    private static Ok<IReadOnlyList<CollectionInfo>> List(KnowledgeStore store) =>
        TypedResults.Ok<IReadOnlyList<CollectionInfo>>(store.Names().Select(name => store.Open(name)).Select(i =>
        {
            var manifest = i.Manifest;
            return new CollectionInfo(i.Name, manifest.Kind.ToString().ToLowerInvariant(), i.Count, manifest.EncoderSha256 is not null, manifest.EncoderLanguages,
                manifest.Fusion.DenseWeight, manifest.Fusion.ConsensusWeight, manifest.Fusion.TunedOn, manifest.Encoder);
        }).ToList());

    private static async Task<Results<Ok<WriteResponse>, ProblemHttpResult>> Upsert(string collection, [FromBody] UpsertDocumentsRequest request, KnowledgeStore store, CancellationToken cancellationToken)
    {
        if (!KnowledgeStore.IsName(collection))
        {
            return InvalidName(collection);
        }

        var documents = request.Documents!.Select(d => new KnowledgeDocument
        {
            Id = d!.Id!,
            Title = d.Title,
            Body = d.Body,
            Answer = d.Answer,
            Queue = d.Queue,
            Tags = d.Tags ?? [],
            Language = d.Language,
            Date = d.Date,
            Reference = d.Reference,
        }).ToList();
        try
        {
            var written = await store.Open(collection).UpsertAsync(documents, cancellationToken);
            return TypedResults.Ok(new WriteResponse(collection, written.Added, written.Replaced, written.Deleted, written.Count));
        }
        catch (KnowledgeBusyException ex)
        {
            return Busy(collection, ex);
        }
        catch (KnowledgeException ex)
        {
            return Refused(collection, ex);
        }
        catch (DbException ex)
        {
            return DatabaseUnavailable(collection, ex);
        }
    }

    private static async Task<Results<Ok<WriteResponse>, ProblemHttpResult>> Delete(string collection, [FromBody] DeleteDocumentsRequest request, KnowledgeStore store, CancellationToken cancellationToken)
    {
        if (!KnowledgeStore.IsName(collection))
        {
            return InvalidName(collection);
        }

        if (store.Find(collection) is not { } index)
        {
            return NotFound(collection, store);
        }

        try
        {
            var written = await index.DeleteAsync(request.Ids!.Select(i => i!).ToList(), cancellationToken);
            return TypedResults.Ok(new WriteResponse(collection, 0, 0, written.Deleted, written.Count));
        }
        catch (KnowledgeBusyException ex)
        {
            return Busy(collection, ex);
        }
        catch (KnowledgeException ex)
        {
            return Refused(collection, ex);
        }
        catch (DbException ex)
        {
            return DatabaseUnavailable(collection, ex);
        }
    }

    /// <summary>Another process (e.g. <c>otai index</c>) held the collection's write lock too long; nothing was written.</summary>
    private static ProblemHttpResult Busy(string name, KnowledgeBusyException ex) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "The collection is being written by another process.",
        detail: $"Nothing was written: {ex.Message}",
        extensions: new Dictionary<string, object?> { ["collection"] = name });

    /// <summary>The collection cannot take the write as it is (e.g. its vectors come from another encoder); nothing was written.</summary>
    private static ProblemHttpResult Refused(string name, KnowledgeException ex) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "The collection refuses the write.",
        detail: $"Nothing was written: {ex.Message}",
        extensions: new Dictionary<string, object?> { ["collection"] = name });

    /// <summary>The collection database (Knowledge:Provider) failed the write; its transaction wrote nothing.</summary>
    private static ProblemHttpResult DatabaseUnavailable(string name, DbException ex) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "The knowledge database is unavailable.",
        detail: $"Nothing was written: {ex.Message}",
        extensions: new Dictionary<string, object?> { ["collection"] = name });

    private static ProblemHttpResult NotFound(string name, KnowledgeStore store) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Collection not found.",
        detail: $"No knowledge collection named '{name}' exists (collections: {(store.Names() is { Count: > 0 } names ? string.Join(", ", names) : "none")}). Fill one with 'otai index' or PUT /knowledge/{name}/documents.",
        extensions: new Dictionary<string, object?> { ["collection"] = name });

    private static ProblemHttpResult InvalidName(string name) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The request is invalid.",
        detail: "collection must be a collection name: a letter or digit, then up to 63 letters, digits, '.', '_' or '-'.",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["collection"] = [$"'{name}' is not a collection name."] } });

    private static RouteHandlerBuilder ProducesKnowledgeErrors(this RouteHandlerBuilder builder)
    {
        builder.ProducesValidationProblem();
        return builder
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
    }
}

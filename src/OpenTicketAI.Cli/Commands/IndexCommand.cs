using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Language;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Import;
using OpenTicketAI.Knowledge.Retrieval;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Cli.Commands;

/// <summary>
/// <c>otai index</c>: fills a knowledge collection from CSV/JSONL tickets, a training recipe, the feedback store's resolved
/// tickets, a help desk's closed tickets (Zammad, FreeScout), a Zammad knowledge base or a directory of Markdown/HTML articles, tunes its fusion on validation queries and, with <c>--evaluate</c>,
/// reports P@1 and MRR@10 of each retrieval mode.
/// </summary>
internal static class IndexCommand
{
    /// <summary>The service's <c>Knowledge:Path</c> as an environment variable: the default of <c>--root</c> when set.</summary>
    public const string KnowledgePathVariable = FeedbackSource.EnvironmentPrefix + "Knowledge__Path";

    public static Command Create()
    {
        var collection = new Option<string>("--collection", "-c") { Description = "Collection name (a directory below --root).", DefaultValueFactory = _ => "tickets" };
        // Inside the image OTAI__Knowledge__Path points at the data volume, as it does for the service.
        var root = new Option<DirectoryInfo>("--root")
        {
            Description = $"Directory holding the collections (the service's Knowledge:Path; default ${KnowledgePathVariable} when set).",
            DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable(KnowledgePathVariable) is { Length: > 0 } path ? path : Path.Combine("data", "knowledge")),
        };
        var data = new Option<FileInfo[]>("--data", "-d") { Description = "CSV or JSONL files of tickets.", AllowMultipleArgumentsPerToken = true };
        var recipe = new Option<FileInfo?>("--recipe") { Description = "A training recipe (docs/recipes.md): its sources' rows become past tickets (subject, body, the 'answer' column, queue, language and tag labels); its validation rows tune --tune." };
        var feedback = new FeedbackSource("Also index the feedback store's resolved tickets with their text and the labels agents confirmed or corrected (Feedback:Provider / Feedback:ConnectionString, e.g. OTAI__Feedback__ConnectionString).");
        var unresolved = new Option<bool>("--include-unresolved") { Description = "With --from-feedback: also tickets the help desk has not reported resolved." };
        var articles = new Option<DirectoryInfo?>("--articles") { Description = "Directory of Markdown/HTML knowledge-base articles (makes an article collection)." };
        var baseUrl = new Option<string?>("--base-url") { Description = "URL prefix of the articles (default: their relative path)." };
        var rebuild = new Option<bool>("--rebuild") { Description = "Replace the collection's documents instead of upserting (atomic)." };
        var encoder = new Option<string>("--encoder") { Description = "minilm-int8 (the default: MiniLM int8-quantised at load, about 2.5x faster than float), minilm (float), an encoder directory, or 'none' for BM25 only.", DefaultValueFactory = _ => SentenceEncoder.MiniLmInt8Kind };
        var languages = new Option<string[]>("--encoder-languages") { Description = "Languages the encoder knows; others are searched lexically (default for minilm and minilm-int8: en; 'all' for every language).", AllowMultipleArgumentsPerToken = true };
        var tune = new Option<bool>("--tune") { Description = "Tune the BM25/encoder fusion (on --validation, else leave-one-out over the indexed rows' queue) and store it." };
        var validation = new Option<FileInfo?>("--validation") { Description = "Labelled queries (same columns; the queue column is the label) to tune on." };
        var evaluate = new Option<FileInfo?>("--evaluate") { Description = "Labelled queries to report P@1 and MRR@10 on, per retrieval mode, as JSON." };
        var id = new Option<string>("--id") { DefaultValueFactory = _ => "id", Description = "Id column." };
        var title = new Option<string>("--title") { DefaultValueFactory = _ => "subject", Description = "Subject/title column." };
        var body = new Option<string>("--body") { DefaultValueFactory = _ => "body", Description = "Body column." };
        var answer = new Option<string>("--answer") { DefaultValueFactory = _ => "answer", Description = "Answer column." };
        var queue = new Option<string>("--queue") { DefaultValueFactory = _ => "queue", Description = "Queue (label) column." };
        var language = new Option<string>("--language") { DefaultValueFactory = _ => "language", Description = "Language column." };
        var date = new Option<string>("--date") { DefaultValueFactory = _ => "date", Description = "Resolved-at/date column (ISO 8601)." };

        var command = new Command("index", "Index tickets or articles into a knowledge collection for /similar, /suggest and /kb/suggest.")
        {
            collection, root, data, recipe, unresolved, articles, baseUrl, rebuild, encoder, languages, tune, validation, evaluate, id, title, body, answer, queue, language, date,
        };
        feedback.AddTo(command);
        var helpDesk = new HelpDeskHistorySource();
        helpDesk.AddTo(command);
        var zammadKnowledgeBase = new ZammadKnowledgeBaseSource(helpDesk);
        zammadKnowledgeBase.AddTo(command);
        var knowledgeDatabase = new KnowledgeDatabaseSource();
        knowledgeDatabase.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var columns = new DocumentColumns
            {
                Id = parse.GetValue(id)!,
                Title = parse.GetValue(title)!,
                Body = parse.GetValue(body)!,
                Answer = parse.GetValue(answer)!,
                Queue = parse.GetValue(queue)!,
                Language = parse.GetValue(language)!,
                Date = parse.GetValue(date)!,
            };
            var files = parse.GetValue(data) ?? [];
            var articleDirectory = parse.GetValue(articles);
            var name = parse.GetValue(collection)!;
            var documents = new List<KnowledgeDocument>();
            foreach (var file in files)
            {
                documents.AddRange(DocumentReader.ReadFile(file.FullName, columns));
            }

            List<ValidationQuery>? recipeQueries = null;
            if (parse.GetValue(recipe) is { } recipeFile)
            {
                var (rows, validationRows) = await ReadRecipeAsync(recipeFile, cancellationToken);
                documents.AddRange(rows);
                recipeQueries = validationRows.Count == 0 ? null : Queries(validationRows);
            }

            if (feedback.IsRequested(parse))
            {
                var tickets = await feedback.ReadAsync(parse, cancellationToken, new LabelledTicketQuery(ResolvedOnly: !parse.GetValue(unresolved)));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {tickets.Count:N0} {(parse.GetValue(unresolved) ? "labelled" : "resolved")} tickets from the feedback store"));
                documents.AddRange(tickets.Select(FeedbackDocuments.FromFeedback));
            }

            if (helpDesk.IsRequested(parse))
            {
                var tickets = await helpDesk.ReadAsync(parse, cancellationToken);
                var languages = new LanguageIdentifier(new LanguageOptions());
                documents.AddRange(tickets.Select(t => IndexSources.FromHelpDesk(t, languages)));
            }

            if (articleDirectory is not null)
            {
                documents.AddRange(DocumentReader.ReadArticles(articleDirectory.FullName, parse.GetValue(baseUrl)));
            }

            if (zammadKnowledgeBase.IsRequested(parse))
            {
                documents.AddRange(await zammadKnowledgeBase.ReadAsync(parse, cancellationToken));
            }

            var encoderName = parse.GetValue(encoder)!;
            using var sentenceEncoder = encoderName == "none" ? null : SentenceEncoder.Open(encoderName, new EncoderOptions { MaxTokens = 128, IntraOpThreads = 1, ParallelBatches = Environment.ProcessorCount });
            var known = parse.GetValue(languages) is { Length: > 0 } given ? (given is ["all"] ? [] : given.Select(CollectionManifest.Primary).ToArray()) : null;
            var onlyArticles = (articleDirectory is not null || zammadKnowledgeBase.IsRequested(parse)) && files.Length == 0 && parse.GetValue(recipe) is null && !feedback.IsRequested(parse) && !helpDesk.IsRequested(parse);
            var kind = onlyArticles ? CollectionKind.Articles : CollectionKind.Tickets;
            await using var database = knowledgeDatabase.Open(parse, parse.GetValue(root)!.FullName);
            using var index = KnowledgeIndex.Open(name, Path.Combine(parse.GetValue(root)!.FullName, name), sentenceEncoder, kind, known, replaceEncoder: parse.GetValue(rebuild), database: database);
            if (database is not null && !parse.GetValue(rebuild))
            {
                // Tuning and evaluation read this copy, so it first takes what the replicas wrote.
                await index.RefreshAsync(cancellationToken);
            }

            var clock = Stopwatch.StartNew();
            if (documents.Count > 0 || parse.GetValue(rebuild))
            {
                var written = parse.GetValue(rebuild) ? await index.RebuildAsync(documents, cancellationToken: cancellationToken) : await index.UpsertAsync(documents, cancellationToken);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {written.Added:N0} added, {written.Replaced:N0} replaced, {written.Count:N0} documents; {documents.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):N0} documents/s ({clock.Elapsed.TotalSeconds:0.0} s)"));
            }

            if (parse.GetValue(tune))
            {
                var queries = parse.GetValue(validation) is { } file ? Labelled(file, columns) : recipeQueries ?? FusionTuner.LeaveOneOut(index);
                var tuned = FusionTuner.Tune(index, queries, cancellationToken);
                await index.SaveFusionAsync(tuned.Settings, cancellationToken);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"tuned: dense weight {tuned.Settings.DenseWeight}, consensus {tuned.Settings.ConsensusWeight}: {tuned.Tuned} (BM25 {tuned.Lexical.PrecisionAt1:0.000}, encoder {tuned.Dense.PrecisionAt1:0.000}, untuned {tuned.Untuned.PrecisionAt1:0.000})"));
            }

            if (parse.GetValue(evaluate) is { } evaluation)
            {
                var queries = Labelled(evaluation, columns);
                var measured = Evaluate(index, queries, cancellationToken);
                Console.WriteLine(JsonSerializer.Serialize(measured with { Settings = index.Manifest.Fusion }, CollectionManifest.JsonOptions));
            }

            return CommandErrors.Ok;
        }));
        return command;
    }

    /// <summary>The recipe's rows (and validation rows) as past tickets, loaded and checked exactly as <c>otai train</c> loads them.</summary>
    private static async Task<(List<KnowledgeDocument> Rows, List<KnowledgeDocument> Validation)> ReadRecipeAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new TrainingDataException($"{file.FullName}: recipe file not found");
        }

        var recipe = await DataRecipe.LoadAsync(file.FullName, cancellationToken);
        var set = await TrainingDataLoader.LoadAsync(recipe, file.DirectoryName!, cancellationToken);
        var tagsHead = recipe.Heads.FirstOrDefault(h => h.Value == HeadKind.MultiLabel).Key ?? DataRecipe.DefaultTagsHead;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {set.Rows.Count:N0} rows from the recipe {file.Name} ({set.Rows.Count(r => r.Answer is not null):N0} with an answer)"));
        return (set.Rows.Select(r => IndexSources.FromRow(r, tagsHead)).ToList(), (set.ValidationRows ?? []).Select(r => IndexSources.FromRow(r, tagsHead)).ToList());
    }

    private static List<ValidationQuery> Labelled(FileInfo file, DocumentColumns columns) => Queries(DocumentReader.ReadFile(file.FullName, columns));

    private static List<ValidationQuery> Queries(IEnumerable<KnowledgeDocument> documents) =>
        documents
            .Where(d => d.Queue is not null)
            .Select(d => new ValidationQuery(new KnowledgeQuery { Subject = d.Title, Body = d.Body, Language = d.Language, KeepDuplicates = true, TopK = 10 }, d.Queue!))
            .ToList();

    private static Evaluation Evaluate(KnowledgeIndex index, List<ValidationQuery> queries, CancellationToken cancellationToken)
    {
        var modes = new Dictionary<string, RetrievalQuality>(StringComparer.Ordinal);
        var latencies = new List<double>();
        foreach (var mode in new[] { RetrievalMode.Lexical, RetrievalMode.Dense, RetrievalMode.Fused })
        {
            double hits = 0, reciprocal = 0;
            foreach (var query in queries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var result = index.Search(query.Query with { Mode = mode }, cancellationToken);
                if (mode == RetrievalMode.Fused)
                {
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                }

                var rank = result.Hits.Take(10).ToList().FindIndex(h => h.Document.Queue == query.Label);
                hits += rank == 0 ? 1 : 0;
                reciprocal += rank >= 0 ? 1.0 / (rank + 1) : 0;
            }

            modes[mode.ToString().ToLowerInvariant()] = new RetrievalQuality(hits / Math.Max(1, queries.Count), reciprocal / Math.Max(1, queries.Count), queries.Count);
        }

        latencies.Sort();
        return new Evaluation(modes, latencies.Count == 0 ? 0 : latencies[latencies.Count / 2], index.Count, null);
    }

    private sealed record Evaluation(IReadOnlyDictionary<string, RetrievalQuality> Modes, double SearchP50Milliseconds, int Documents, FusionSettings? Settings);
}

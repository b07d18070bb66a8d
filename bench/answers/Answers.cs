#:project ../../src/OpenTicketAI.Knowledge/OpenTicketAI.Knowledge.csproj
#:property PublishAot=false
// The product's side of bench/answers_benchmark.py: indexes WORK/train.jsonl as a tickets collection the way
// `otai index --data train.jsonl --rebuild --tune` does (the ENCODER at 128 tokens, default encoder languages, fusion tuned
// leave-one-out), then for every row of WORK/test.jsonl takes what POST /suggest returns (ReplySuggester.Suggest with
// Knowledge:SuggestThreshold) with and without the ticket's language, the default model's queue, and the summaries
// POST /summarize returns for the body alone (LexRank on embeddings and on word overlap; 1 and 3 sentences) beside
// lead-1 and lead-3 (Sentences.Split). Writes WORK/product.jsonl and WORK/answers.f32 (MiniLM embeddings at 256 tokens
// of every train answer, then every test answer: float32 [rows x 384]).
// Usage: dotnet run -c Release bench/answers/Answers.cs -- WORK MODEL_DIR [THRESHOLD=0.6] [ENCODER=minilm-int8]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Knowledge.Answers;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Import;
using OpenTicketAI.Knowledge.Retrieval;
using OpenTicketAI.Knowledge.Summaries;

var work = args[0];
var threshold = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.6;
var columns = new DocumentColumns();
var train = DocumentReader.ReadFile(Path.Combine(work, "train.jsonl"), columns);
var test = DocumentReader.ReadFile(Path.Combine(work, "test.jsonl"), columns);
var clock = Stopwatch.StartNew();
void Log(string message) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds:0}s] {message}"));

using var encoder = SentenceEncoder.Open(args.Length > 3 ? args[3] : SentenceEncoder.MiniLmInt8Kind, new EncoderOptions { MaxTokens = 128, ParallelBatches = Environment.ProcessorCount });
var root = Path.Combine(work, "collections", "tickets");
using var index = KnowledgeIndex.Open("tickets", root, encoder);
await index.RebuildAsync(train);
Log($"indexed {index.Count} training tickets");
var tuned = FusionTuner.Tune(index, FusionTuner.LeaveOneOut(index));
await index.SaveFusionAsync(tuned.Settings);
Log($"tuned: {tuned.Settings.TunedOn}");

using var model = TicketClassifier.Load(args[1]);
var predicted = model.Predict(test.Select(d => new TicketText(d.Title, d.Body)).ToList());
var summarizer = new ThreadSummarizer(encoder);
using var output = new StreamWriter(Path.Combine(work, "product.jsonl"));
for (var i = 0; i < test.Count; i++)
{
    var ticket = test[i];
    var plain = ReplySuggester.Suggest(new KnowledgeQuery { Subject = ticket.Title, Body = ticket.Body }, index, null, threshold);
    var withLanguage = ReplySuggester.Suggest(new KnowledgeQuery { Subject = ticket.Title, Body = ticket.Body, Language = ticket.Language }, index, null, threshold);
    var body = ticket.Body ?? string.Empty;
    var sentences = Sentences.Split(body);
    output.WriteLine(JsonSerializer.Serialize(new
    {
        id = ticket.Id,
        suggest = Describe(plain, null),
        suggestLanguage = Describe(withLanguage, ticket.Language),
        predictedQueue = predicted[i].Heads["queue"].Label,
        sentenceCount = sentences.Count,
        lead1 = string.Join(' ', sentences.Take(1)),
        lead3 = string.Join(' ', sentences.Take(3)),
        lexrank1 = string.Join(' ', summarizer.Summarize(null, body, 1).Sentences),
        lexrank3 = string.Join(' ', summarizer.Summarize(null, body, 3).Sentences),
        words1 = string.Join(' ', summarizer.Summarize(null, body, 1, useEncoder: false).Sentences),
        words3 = string.Join(' ', summarizer.Summarize(null, body, 3, useEncoder: false).Sentences),
    }));
    if (i % 100 == 0)
    {
        Log($"{i}/{test.Count} test tickets");
    }
}

object Describe(Suggestion s, string? language)
{
    var best = s.Sources.Count > 0 ? s.Sources[0] : null;
    var document = best is null ? null : index.Get(best.Id);
    return new
    {
        draft = s.Draft,
        confidence = s.Confidence,
        needsReview = s.NeedsReview,
        bestId = best?.Id,
        bestAnswer = best?.Answer,
        // Confidence is encoder cosine when the best source has an embedding, word overlap otherwise.
        byEncoder = document is not null && index.Vector(document.Id) is not null && index.Manifest.Knows(language),
    };
}

using var scorer = SentenceEncoder.LoadMiniLm(new EncoderOptions { MaxTokens = 256, IntraOpThreads = 0 });
var answers = train.Concat(test).Select(d => new TicketText(null, d.Answer ?? string.Empty)).ToList();
var embeddings = scorer.Encode(answers);
using (var file = File.Create(Path.Combine(work, "answers.f32")))
{
    foreach (var embedding in embeddings)
    {
        file.Write(MemoryMarshal.AsBytes(embedding.AsSpan()));
    }
}

Log($"{embeddings.Length} answers embedded; done");

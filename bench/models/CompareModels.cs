#:project ../../src/OpenTicketAI.Core/OpenTicketAI.Core.csproj
#:property PublishAot=false
// Default-recipe models compared on rows none of them trained on: UMSAB val sentiment (macro-F1, per language) and the
// priority of the German IT-queues tickets (a file the recipe does not read).
// Usage: dotnet run -c Release bench/models/CompareModels.cs -- MODEL_DIR [MODEL_DIR ...]   (data in ../shared/data)
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;

var data = Path.GetFullPath("../shared/data");
string[] sentimentNames = ["Negative", "Neutral", "Positive"];
var sentiment = Directory.GetDirectories(Path.Combine(data, "sentiment/umsab")).Order()
    .SelectMany(d => File.ReadLines(Path.Combine(d, "val_text.txt")).Zip(File.ReadLines(Path.Combine(d, "val_labels.txt")), (t, l) => (Lang: Path.GetFileName(d), Text: t, Label: sentimentNames[int.Parse(l)])))
    .ToList();
var priority = new List<(string Subject, string Body, string Label)>();
using (var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(Path.Combine(data, "tickets/tickets-de-it-queues.csv")) { Delimiters = [","], HasFieldsEnclosedInQuotes = true })
{
    var h = parser.ReadFields()!;
    while (parser.ReadFields() is { } f)
    {
        priority.Add((f[Array.IndexOf(h, "subject")], f[Array.IndexOf(h, "body")], char.ToUpperInvariant(f[Array.IndexOf(h, "priority")][0]) + f[Array.IndexOf(h, "priority")][1..]));
    }
}

foreach (var model in args)
{
    using var c = TicketClassifier.Load(model);
    var s = c.Predict(sentiment.Select(x => new TicketText(null, x.Text)).ToList()).Select(p => p.Heads["sentiment"].Labels[0]).ToList();
    var perLang = sentiment.Select((x, i) => (x.Lang, x.Label, Pred: s[i])).GroupBy(x => x.Lang).Select(g => $"{g.Key[..2]} {MacroF1(g.Select(x => (x.Label, x.Pred)).ToList()):F3}");
    var p = c.Predict(priority.Select(x => new TicketText(x.Subject, x.Body)).ToList()).Select(p => p.Heads["priority"].Labels[0]).ToList();
    var pairs = priority.Select((x, i) => (x.Label, Pred: p[i])).ToList();
    Console.WriteLine($"{model}: sentiment macro-F1 {MacroF1(sentiment.Select((x, i) => (x.Label, s[i])).ToList()):F3} ({string.Join(", ", perLang)}); de-it priority acc {pairs.Count(x => x.Label == x.Pred) / (double)pairs.Count:F3} macro-F1 {MacroF1(pairs):F3}");
}

static double MacroF1(List<(string Gold, string Pred)> rows) => rows.Select(r => r.Gold).Distinct().Average(label =>
{
    var tp = rows.Count(r => r.Gold == label && r.Pred == label);
    var fp = rows.Count(r => r.Gold != label && r.Pred == label);
    var fn = rows.Count(r => r.Gold == label && r.Pred != label);
    return tp == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
});

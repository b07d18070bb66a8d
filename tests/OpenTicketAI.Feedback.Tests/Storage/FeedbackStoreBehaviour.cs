using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using static OpenTicketAI.Feedback.Tests.Storage.Scenario;

namespace OpenTicketAI.Feedback.Tests.Storage;

/// <summary>What every <see cref="IFeedbackStore"/> must do, run against SQLite and PostgreSQL.</summary>
public abstract class FeedbackStoreBehaviour : IAsyncLifetime
{
    private const double Tolerance = 1e-9;
    private readonly List<SqlFeedbackStore> _opened = [];

    protected abstract IStoreDatabase Database { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    [SkippableFact]
    public async Task Stored_data_survives_reopening_the_store()
    {
        var prediction = Prediction("T-1", "1.0", 10, "Billing", "High", autoApplied: true, subject: "Invoice", body: "Charged twice");
        await using (var first = await Database.OpenAsync())
        {
            await first.RecordPredictionAsync(prediction, CancellationToken.None);
            await first.RecordFeedbackAsync(Verdict("T-1", "queue", "Technical", 20), CancellationToken.None);
            await first.RecordLifecycleEventAsync(Event("T-1", TicketLifecycleKind.FirstAgentReply, 40), CancellationToken.None);
        }

        var reopened = await OpenAsync();
        var stored = await reopened.GetLatestPredictionAsync(TicketKey.FromApi("T-1"), CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(prediction with { Heads = [] }, stored with { Heads = [] });
        Assert.Equal(
            prediction.Heads.Select(h => (h.Head, string.Join("|", h.Labels), h.Confidence, h.NeedsReview)),
            stored.Heads.Select(h => (h.Head, string.Join("|", h.Labels), h.Confidence, h.NeedsReview)));

        var kpis = await reopened.GetKpisAsync(new KpiQuery(T0, At(60), null, TimeSpan.FromHours(1)), CancellationToken.None);
        var queue = Assert.Single(kpis.Overall.Heads, h => h.Head == "queue");
        Assert.Equal((1L, 0L), (queue.Judged, queue.Correct));
        Assert.Equal(1800, kpis.Overall.MedianTimeToFirstResponseSeconds);
    }

    [SkippableFact]
    public async Task Migrating_again_applies_each_schema_version_once()
    {
        var store = await OpenAsync();
        await store.MigrateAsync(CancellationToken.None);
        await store.RecordPredictionAsync(Prediction("T-1", "1.0", 10, "Billing", "High", true), CancellationToken.None);
        var reopened = await OpenAsync();
        await reopened.MigrateAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, SqlFeedbackStore.SchemaVersion), await reopened.GetAppliedMigrationsAsync(CancellationToken.None));
        Assert.NotNull(await reopened.GetLatestPredictionAsync(TicketKey.FromApi("T-1"), CancellationToken.None));
    }

    [SkippableFact]
    public async Task Feedback_outcome_tells_the_predicted_label_and_whether_it_corrects_it()
    {
        var store = await OpenAsync();
        await store.RecordPredictionAsync(Prediction("T-1", "1.0", 10, "Billing", "High", true), CancellationToken.None);

        Assert.Equal(new FeedbackOutcome(true, "Billing", true), await store.RecordFeedbackAsync(Verdict("T-1", "queue", "Technical", 20), CancellationToken.None));
        Assert.Equal(new FeedbackOutcome(true, "High", false), await store.RecordFeedbackAsync(Verdict("T-1", "priority", "High", 20), CancellationToken.None));
        Assert.Equal(new FeedbackOutcome(true, "Login, Account", false), await store.RecordFeedbackAsync(Verdict("T-1", "tags", "Account", 20), CancellationToken.None));
        Assert.Equal(new FeedbackOutcome(true, null, false), await store.RecordFeedbackAsync(Verdict("T-404", "queue", "Billing", 20), CancellationToken.None));
    }

    [SkippableFact]
    public async Task Latest_feedback_per_ticket_and_head_wins()
    {
        var store = await OpenAsync();
        await store.RecordPredictionAsync(Prediction("T-1", "1.0", 10, "Billing", "High", true), CancellationToken.None);
        var window = new KpiQuery(T0, At(60), null, TimeSpan.FromHours(1));

        await store.RecordFeedbackAsync(Verdict("T-1", "queue", "Technical", 20), CancellationToken.None);
        Assert.Equal(0, Queue(await store.GetKpisAsync(window, CancellationToken.None)).Correct);

        await store.RecordFeedbackAsync(Verdict("T-1", "queue", "Billing", 30), CancellationToken.None);
        Assert.Equal(1, Queue(await store.GetKpisAsync(window, CancellationToken.None)).Correct);

        // Arriving late but given earlier, it is kept in the history and does not replace the latest.
        var late = await store.RecordFeedbackAsync(Verdict("T-1", "queue", "Sales", 25), CancellationToken.None);
        Assert.True(late.Stored);
        var kpis = await store.GetKpisAsync(window, CancellationToken.None);
        Assert.Equal((1L, 1L), (Queue(kpis).Judged, Queue(kpis).Correct));

        var repeated = await store.RecordFeedbackAsync(Verdict("T-1", "queue", "Billing", 40), CancellationToken.None);
        Assert.False(repeated.Stored);

        static HeadKpi Queue(KpiReport report) => Assert.Single(report.Overall.Heads, h => h.Head == "queue");
    }

    [SkippableFact]
    public async Task Kpis_equal_the_figures_computed_by_hand()
    {
        var store = await OpenAsync();
        await store.RecordPredictionsAsync(
            [
                Prediction("t1", "1.0", 10, "Billing", "High", autoApplied: true),
                Prediction("t2", "1.0", 20, "Billing", "Low", autoApplied: false),
                Prediction("t3", "1.0", 30, "Tech", "High", autoApplied: true),
                Prediction("t4", "2.0", 70, "Tech", "Low", autoApplied: true),
                Prediction("t5", "2.0", 80, "Billing", "High", autoApplied: false),
                Prediction(null, "2.0", 90, "Tech", "Low", autoApplied: true),
                Prediction("t6", "1.0", -10, "Tech", "Low", autoApplied: true),
                Prediction("t9", "5.0", 15, "Tech", "Low", autoApplied: false, model: "other"),
            ],
            CancellationToken.None);
        foreach (var feedback in new[]
        {
            Verdict("t1", "queue", "Billing", 12), Verdict("t1", "queue", "Tech", 15), Verdict("t1", "priority", "High", 15),
            Verdict("t2", "queue", "Billing", 25),
            Verdict("t3", "queue", "Tech", 35), Verdict("t3", "priority", "Low", 35),
            Verdict("t4", "queue", "Billing", 75),
            Verdict("t5", "queue", "Billing", 85), Verdict("t5", "priority", "High", 85),
            Verdict("t6", "queue", "Billing", 5), Verdict("t9", "queue", "Billing", 20),
        })
        {
            await store.RecordFeedbackAsync(feedback, CancellationToken.None);
        }

        foreach (var lifecycle in new[]
        {
            Event("t1", TicketLifecycleKind.Created, 0), Event("t1", TicketLifecycleKind.FirstAgentReply, 50), Event("t1", TicketLifecycleKind.FirstAgentReply, 40),
            Event("t1", TicketLifecycleKind.Resolved, 100), Event("t1", TicketLifecycleKind.Resolved, 130),
            Event("t2", TicketLifecycleKind.FirstAgentReply, 35),
            Event("t4", TicketLifecycleKind.Created, 65), Event("t4", TicketLifecycleKind.FirstAgentReply, 75), Event("t4", TicketLifecycleKind.Resolved, 95),
        })
        {
            await store.RecordLifecycleEventAsync(lifecycle, CancellationToken.None);
        }

        var report = await store.GetKpisAsync(new KpiQuery(T0, At(120), "default", TimeSpan.FromHours(1)), CancellationToken.None);

        // Six predictions of model "default" in the window (t6 is before it, t9 is another model's); t1, t3, t4 and the one without id were applied.
        var overall = report.Overall;
        Assert.Equal(("default", (string?)null, 6L, 4L, 2L), (overall.Model, overall.ModelVersion, overall.Predictions, overall.AutoApplied, overall.SentToReview));
        Assert.Equal(4.0 / 6, overall.AutoAppliedShare!.Value, Tolerance);

        // Queue judged: t1 Billing→Tech (wrong), t2 Billing ok, t3 Tech ok, t4 Tech→Billing (wrong), t5 Billing ok.
        // F1 Billing = 2·2/(2·2+1+1) = 2/3, Tech = 2·1/(2·1+1+1) = 1/2.
        AssertHead(overall, "queue", judged: 5, correct: 3, macroF1: ((2.0 / 3) + 0.5) / 2);

        // Priority judged: t1 High ok, t3 High→Low (wrong), t5 High ok. F1 High = 4/5, Low = 0.
        AssertHead(overall, "priority", judged: 3, correct: 2, macroF1: 0.4);
        Assert.DoesNotContain(overall.Heads, h => h.Head == "tags");

        AssertQueues(overall, ("Billing", 3, 1), ("Tech", 3, 1));

        // First response: t1 40 min from creation, t2 15 min from its prediction (no creation event), t4 10 min. Resolution: t1 130 min (the last), t4 30 min.
        Assert.Equal(900, overall.MedianTimeToFirstResponseSeconds);
        Assert.Equal((7800 + 1800) / 2.0, overall.MedianResolutionSeconds);

        Assert.Equal(["1.0", "2.0"], report.Versions.Select(v => v.ModelVersion));
        var one = report.Versions[0];
        Assert.Equal(("default", 3L, 2L), (one.Model, one.Predictions, one.AutoApplied));
        AssertHead(one, "queue", judged: 3, correct: 2, macroF1: ((2.0 / 3) + (2.0 / 3)) / 2);
        AssertQueues(one, ("Billing", 2, 1), ("Tech", 1, 0));
        Assert.Equal((2400 + 900) / 2.0, one.MedianTimeToFirstResponseSeconds);
        Assert.Equal(7800, one.MedianResolutionSeconds);

        var two = report.Versions[1];
        Assert.Equal((3L, 2L), (two.Predictions, two.AutoApplied));
        AssertHead(two, "queue", judged: 2, correct: 1, macroF1: ((2.0 / 3) + 0) / 2);
        AssertQueues(two, ("Billing", 1, 0), ("Tech", 2, 1));
        Assert.Equal(600, two.MedianTimeToFirstResponseSeconds);
        Assert.Equal(1800, two.MedianResolutionSeconds);

        Assert.Equal(2, report.Series.Count);
        var (first, second) = (report.Series[0], report.Series[1]);
        Assert.Equal((T0, 3L, 2L, 2L), (first.Start, first.Predictions, first.AutoApplied, first.Corrections));
        Assert.Equal(2.0 / 3, first.QueueAccuracy!.Value, Tolerance);
        Assert.Equal(1.0 / 3, first.MisrouteRate!.Value, Tolerance);
        Assert.Equal(1650, first.MedianTimeToFirstResponseSeconds);
        Assert.Equal((At(60), 3L, 2L, 1L), (second.Start, second.Predictions, second.AutoApplied, second.Corrections));
        Assert.Equal(0.5, second.QueueAccuracy!.Value, Tolerance);
        Assert.Equal(1.0 / 3, second.MisrouteRate!.Value, Tolerance);
        Assert.Equal(600, second.MedianTimeToFirstResponseSeconds);

        var everyModel = await store.GetKpisAsync(new KpiQuery(T0, At(120), null, TimeSpan.FromMinutes(30)), CancellationToken.None);
        Assert.Equal(7, everyModel.Overall.Predictions);
        Assert.Equal(4, everyModel.Series.Count);
        Assert.Equal([3L, 1L, 2L, 1L], everyModel.Series.Select(p => p.Predictions));
        Assert.Equal(["default/1.0", "default/2.0", "other/5.0"], everyModel.Versions.Select(v => $"{v.Model}/{v.ModelVersion}"));
    }

    [SkippableFact]
    public async Task A_failed_batch_stores_none_of_its_predictions_and_keeps_earlier_rows()
    {
        var store = await OpenAsync();
        await store.RecordPredictionAsync(Prediction("T-1", "1.0", 10, "Billing", "High", true), CancellationToken.None);
        var duplicateHead = Prediction("T-3", "1.0", 12, "Tech", "Low", true) is var p
            ? p with { Heads = [.. p.Heads, p.Heads[0]] }
            : null!;

        await Assert.ThrowsAnyAsync<Exception>(() => store.RecordPredictionsAsync(
            [Prediction("T-2", "1.0", 11, "Tech", "Low", true), duplicateHead], CancellationToken.None));

        Assert.NotNull(await store.GetLatestPredictionAsync(TicketKey.FromApi("T-1"), CancellationToken.None));
        Assert.Null(await store.GetLatestPredictionAsync(TicketKey.FromApi("T-2"), CancellationToken.None));
        Assert.Null(await store.GetLatestPredictionAsync(TicketKey.FromApi("T-3"), CancellationToken.None));
        var kpis = await store.GetKpisAsync(new KpiQuery(T0, At(60), null, TimeSpan.FromHours(1)), CancellationToken.None);
        Assert.Equal(1, kpis.Overall.Predictions);
    }

    [SkippableFact]
    public async Task A_cancelled_write_stores_nothing()
    {
        var store = await OpenAsync();
        await store.RecordPredictionAsync(Prediction("T-1", "1.0", 10, "Billing", "High", true), CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.RecordPredictionAsync(Prediction("T-2", "1.0", 11, "Tech", "Low", true), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.RecordFeedbackAsync(Verdict("T-1", "queue", "Tech", 20), cancelled.Token));

        Assert.Null(await store.GetLatestPredictionAsync(TicketKey.FromApi("T-2"), CancellationToken.None));
        var kpis = await store.GetKpisAsync(new KpiQuery(T0, At(60), null, TimeSpan.FromHours(1)), CancellationToken.None);
        Assert.Equal(1, kpis.Overall.Predictions);
        Assert.Equal(0, Assert.Single(kpis.Overall.Heads).Judged);
    }

    [SkippableFact]
    public async Task Labelled_tickets_are_those_with_text_and_feedback_most_recent_first()
    {
        var store = await OpenAsync();
        await store.RecordPredictionsAsync(
            [
                Prediction("T-1", "1.0", 10, "Billing", "High", true, subject: "Invoice", body: "Charged twice"),
                Prediction("T-2", "1.0", 11, "Tech", "Low", true, subject: null, body: "VPN drops"),
                Prediction("T-3", "1.0", 12, "Tech", "Low", true),
                Prediction("T-4", "1.0", 13, "Tech", "Low", true, subject: "No feedback", body: "none"),
            ],
            CancellationToken.None);
        await store.RecordFeedbackAsync(Verdict("T-1", "queue", "Billing", 30), CancellationToken.None);
        await store.RecordFeedbackAsync(Verdict("T-1", "priority", "Low", 31), CancellationToken.None);
        await store.RecordFeedbackAsync(Verdict("T-2", "queue", "Sales", 40), CancellationToken.None);
        await store.RecordFeedbackAsync(Verdict("T-3", "queue", "Sales", 50), CancellationToken.None);

        var all = await store.GetLabelledTicketsAsync(new LabelledTicketQuery(), CancellationToken.None);
        Assert.Equal(["T-2", "T-1"], all.Select(t => t.Ticket.TicketId));
        Assert.Equal(("", "VPN drops", At(40)), (all[0].Subject, all[0].Body, all[0].At));
        Assert.Equal(new Dictionary<string, string> { ["queue"] = "Billing", ["priority"] = "Low" }, all[1].Labels);

        Assert.Equal(["T-2"], (await store.GetLabelledTicketsAsync(new LabelledTicketQuery(Limit: 1), CancellationToken.None)).Select(t => t.Ticket.TicketId));
        Assert.Equal(["T-2"], (await store.GetLabelledTicketsAsync(new LabelledTicketQuery(Since: At(35)), CancellationToken.None)).Select(t => t.Ticket.TicketId));
    }

    [SkippableFact]
    public async Task Labelled_tickets_carry_when_they_were_resolved_and_can_be_limited_to_resolved_ones()
    {
        var store = await OpenAsync();
        await store.RecordPredictionsAsync(
            [
                Prediction("T-1", "1.0", 10, "Billing", "High", true, subject: "Invoice", body: "Charged twice"),
                Prediction("T-2", "1.0", 11, "Tech", "Low", true, subject: "VPN", body: "VPN drops"),
            ],
            CancellationToken.None);
        await store.RecordFeedbackAsync(Verdict("T-1", "queue", "Billing", 30), CancellationToken.None);
        await store.RecordFeedbackAsync(Verdict("T-2", "queue", "Network", 40), CancellationToken.None);
        await store.RecordLifecycleEventAsync(new TicketLifecycleEvent(TicketKey.FromApi("T-1"), TicketLifecycleKind.Resolved, At(45)), CancellationToken.None);

        var all = await store.GetLabelledTicketsAsync(new LabelledTicketQuery(), CancellationToken.None);
        var resolved = await store.GetLabelledTicketsAsync(new LabelledTicketQuery(ResolvedOnly: true), CancellationToken.None);

        Assert.Equal([("T-2", null), ("T-1", At(45))], all.Select(t => (t.Ticket.TicketId, t.ResolvedAt)));
        var only = Assert.Single(resolved);
        Assert.Equal(("T-1", "Invoice", "Charged twice", At(45)), (only.Ticket.TicketId, only.Subject, only.Body, only.ResolvedAt));
    }

    private async Task<SqlFeedbackStore> OpenAsync()
    {
        var store = await Database.OpenAsync();
        _opened.Add(store);
        return store;
    }

    private static void AssertHead(KpiFigures figures, string head, long judged, long correct, double macroF1)
    {
        var kpi = Assert.Single(figures.Heads, h => h.Head == head);
        Assert.Equal((judged, correct), (kpi.Judged, kpi.Correct));
        Assert.Equal((double)correct / judged, kpi.Accuracy!.Value, Tolerance);
        Assert.Equal(macroF1, kpi.MacroF1!.Value, Tolerance);
    }

    private static void AssertQueues(KpiFigures figures, params (string Queue, long Routed, long Misrouted)[] expected) =>
        Assert.Equal(
            expected.Select(e => new QueueMisrouting(e.Queue, e.Routed, e.Misrouted, (double)e.Misrouted / e.Routed)),
            figures.Queues);
}

public sealed class SqliteFeedbackStoreTests : FeedbackStoreBehaviour
{
    protected override IStoreDatabase Database { get; } = new SqliteStoreDatabase();
}

public sealed class PostgreSqlFeedbackStoreTests : FeedbackStoreBehaviour
{
    protected override IStoreDatabase Database { get; } = new PostgreSqlStoreDatabase();
}

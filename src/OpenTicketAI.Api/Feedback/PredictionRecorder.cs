using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Recording;

namespace OpenTicketAI.Api.Feedback;

/// <summary>
/// Queues served predictions for <see cref="PredictionRecordingWorker"/> to store, so recording adds no database time to a
/// request. The queue is bounded (<c>Feedback:QueueCapacity</c>): when the store falls that far behind, further predictions
/// are not recorded; they are counted (<c>otai.feedback.predictions.dropped</c>) and logged, and the response is unaffected.
/// </summary>
public sealed partial class PredictionRecorder
{
    public const string MeterName = "OpenTicketAI.Feedback";

    private readonly Channel<PredictionRecord> _queue;
    private readonly FeedbackOptions _options;
    private readonly int _maxBodyChars;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictionRecorder> _logger;
    private readonly Counter<long> _droppedCounter;
    private long _dropped;

    public PredictionRecorder(
        IOptions<FeedbackOptions> options, IOptions<PredictOptions> predictOptions, TimeProvider time, IMeterFactory meters, ILogger<PredictionRecorder> logger)
    {
        _options = options.Value;
        _maxBodyChars = predictOptions.Value.MaxBodyChars;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<PredictionRecord>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _droppedCounter = meters.Create(MeterName).CreateCounter<long>(
            "otai.feedback.predictions.dropped", description: "Served predictions not recorded because the recording queue was full or closed.");
    }

    public bool Enabled => _options.RecordPredictions;

    /// <summary>Predictions not recorded since start because the queue was full or shutting down.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal ChannelReader<PredictionRecord> Reader => _queue.Reader;

    /// <summary>Queues one record per ticket of a served request (source <c>api</c>, ticket id from the request's <c>id</c>); never blocks.</summary>
    public void Record(IReadOnlyList<PredictRequest> tickets, IReadOnlyList<PredictResponse> responses, TimeSpan elapsed)
    {
        if (!Enabled || responses.Count == 0)
        {
            return;
        }

        var at = _time.GetUtcNow();
        var latencyMs = elapsed.TotalMilliseconds / responses.Count;
        for (var i = 0; i < responses.Count && i < tickets.Count; i++)
        {
            TryRecord(ToRecord(tickets[i], responses[i], at, latencyMs));
        }
    }

    /// <summary>Queues a record; false (counted and logged) when the queue is full or closed.</summary>
    public bool TryRecord(PredictionRecord record)
    {
        if (_queue.Writer.TryWrite(record))
        {
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        _droppedCounter.Add(1);
        // The first drop and then every thousandth: a full queue must not flood the log too.
        if (dropped == 1 || dropped % 1000 == 0)
        {
            LogDropped(_logger, dropped, _options.QueueCapacity);
        }

        return false;
    }

    /// <summary>No more records are accepted; the worker writes what is queued and stops.</summary>
    internal void Complete() => _queue.Writer.TryComplete();

    private PredictionRecord ToRecord(PredictRequest ticket, PredictResponse response, DateTimeOffset at, double latencyMs)
    {
        var heads = response.Predictions
            .Select(p => new PredictedHead(
                p.Key,
                p.Value switch
                {
                    string label => [label],
                    IEnumerable<string> labels => labels.ToArray(),
                    _ => [],
                },
                response.Confidence.GetValueOrDefault(p.Key),
                response.NeedsReview.GetValueOrDefault(p.Key)))
            .ToList();
        var body = _options.StoreTicketText ? ticket.Body : null;
        if (body is not null && response.Truncated && body.Length > _maxBodyChars)
        {
            body = body[.._maxBodyChars];
        }

        return new PredictionRecord(
            string.IsNullOrEmpty(ticket.Id) ? null : TicketKey.FromApi(ticket.Id),
            response.Model.Name,
            response.Model.Version,
            at,
            latencyMs,
            heads,
            !heads.Any(h => h.NeedsReview),
            _options.StoreTicketText ? ticket.Subject : null,
            body);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prediction not recorded: the recording queue (Feedback:QueueCapacity = {Capacity}) is full or closed; {Dropped} dropped since start")]
    private static partial void LogDropped(ILogger logger, long dropped, int capacity);
}

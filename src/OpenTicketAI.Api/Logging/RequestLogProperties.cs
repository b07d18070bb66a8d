namespace OpenTicketAI.Api.Logging;

/// <summary>What the predict endpoints add to the request log: sizes, ids and the model, never ticket text.</summary>
public static class RequestLogProperties
{
    public const string SubjectLength = "SubjectLength";
    public const string BodyLength = "BodyLength";
    public const string TicketId = "TicketId";
    public const string TicketIds = "TicketIds";
    public const string TicketCount = "TicketCount";
    public const string ModelName = "ModelName";
    public const string ModelVersion = "ModelVersion";
    public const string Truncated = "Truncated";

    public static IReadOnlyList<string> All { get; } = [TicketId, TicketIds, TicketCount, SubjectLength, BodyLength, Truncated, ModelName, ModelVersion];
}

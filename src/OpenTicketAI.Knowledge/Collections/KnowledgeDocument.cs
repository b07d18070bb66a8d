namespace OpenTicketAI.Knowledge.Collections;

/// <summary>What a collection holds: solved tickets (with the agent's answer) or knowledge-base articles.</summary>
public enum CollectionKind
{
    Tickets,
    Articles,
}

/// <summary>
/// One entry of a knowledge collection: a past ticket (title = subject, answer = the agent's reply, reference = the
/// help desk's ticket id) or an article (title, body, url). Upserting a document with an existing id replaces it.
/// </summary>
public sealed record KnowledgeDocument
{
    public required string Id { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    public string? Answer { get; init; }

    public string? Queue { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Lower-case language tag (<c>en</c>, <c>de</c>); null when unknown.</summary>
    public string? Language { get; init; }

    /// <summary>When the ticket was resolved or the article last changed.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>The help desk's ticket number or the article's URL.</summary>
    public string? Reference { get; init; }

    public bool HasText => !string.IsNullOrWhiteSpace(Title) || !string.IsNullOrWhiteSpace(Body);
}

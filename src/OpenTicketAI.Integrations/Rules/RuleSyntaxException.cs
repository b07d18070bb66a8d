namespace OpenTicketAI.Integrations.Rules;

/// <summary>A condition or action that does not parse, with the character position of the problem.</summary>
public sealed class RuleSyntaxException : Exception
{
    public RuleSyntaxException()
    {
    }

    public RuleSyntaxException(string message)
        : base(message)
    {
    }

    public RuleSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RuleSyntaxException(string message, int position)
        : base($"at position {position + 1}: {message}")
    {
        Position = position;
    }

    public int Position { get; }
}

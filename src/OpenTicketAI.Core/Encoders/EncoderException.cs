namespace OpenTicketAI.Core.Encoders;

/// <summary>A sentence encoder cannot be found, loaded or run; the message names the file and what is wrong.</summary>
public sealed class EncoderException : Exception
{
    public EncoderException(string message)
        : base(message)
    {
    }

    public EncoderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace OpenTicketAI.Core.Inference;

/// <summary>A model directory that cannot be served; the message names the file and what is wrong.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);

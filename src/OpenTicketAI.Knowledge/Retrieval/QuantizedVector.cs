namespace OpenTicketAI.Knowledge.Retrieval;

/// <summary>A query embedding as int8 values and their scale (see <see cref="VectorTable"/>).</summary>
public sealed record QuantizedVector(sbyte[] Values, float Scale);

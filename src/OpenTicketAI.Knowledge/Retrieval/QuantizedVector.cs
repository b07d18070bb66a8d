namespace OpenTicketAI.Knowledge.Retrieval;

/// <summary>A query embedding as int8 values and their scale, and its signs one bit each (see <see cref="VectorTable"/>).</summary>
public sealed record QuantizedVector(sbyte[] Values, float Scale, ulong[] Signs);

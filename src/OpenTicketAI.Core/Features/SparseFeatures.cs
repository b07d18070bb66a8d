namespace OpenTicketAI.Core.Features;

/// <summary>A bag of hashed features: bucket ids (ascending, unique) with their L2-normalised weights.</summary>
public sealed record SparseFeatures(int[] Ids, float[] Weights)
{
    public int Count => Ids.Length;
}

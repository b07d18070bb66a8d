namespace OpenTicketAI.Knowledge.Retrieval;

/// <summary>
/// How BM25 and encoder cosine are combined, stored with the collection (<see cref="FusionTuner"/> chooses them on
/// validation queries). score = DenseWeight·cosine + (1 − DenseWeight)·bm25/bm25max, then
/// + ConsensusWeight·(share of the top <see cref="ConsensusDepth"/> candidates' score held by candidates of the same queue):
/// a hit whose queue most near neighbours share beats an isolated look-alike.
/// </summary>
public sealed record FusionSettings
{
    public double DenseWeight { get; init; } = 0.7;

    public double ConsensusWeight { get; init; }

    public int ConsensusDepth { get; init; } = 10;

    /// <summary>Candidates taken from each of BM25 and the encoder before fusing.</summary>
    public int Candidates { get; init; } = 100;

    /// <summary>Cosine at or above which a lower hit is a near-duplicate of a higher one and is collapsed into it.</summary>
    public double DuplicateCosine { get; init; } = 0.97;

    /// <summary>How the settings were chosen, e.g. "leave-one-out on 1000 documents: P@1 0.91 (untuned 0.89)".</summary>
    public string? TunedOn { get; init; }
}

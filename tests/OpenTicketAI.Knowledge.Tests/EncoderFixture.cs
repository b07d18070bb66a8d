using OpenTicketAI.Core.Encoders;

namespace OpenTicketAI.Knowledge.Tests;

/// <summary>The packaged MiniLM, loaded once for every test (128-token window, as the service uses it).</summary>
public sealed class EncoderFixture : IDisposable
{
    public SentenceEncoder Encoder { get; } = SentenceEncoder.LoadMiniLm(new EncoderOptions { MaxTokens = 128, IntraOpThreads = 1 });

    public void Dispose() => Encoder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EncoderCollection : ICollectionFixture<EncoderFixture>
{
    public const string Name = "encoder";
}

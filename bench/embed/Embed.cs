#:project ../../src/OpenTicketAI.Core/OpenTicketAI.Core.csproj
#:property PublishAot=false
// MiniLM embeddings of texts with the project's own encoder, for the scikit-learn peers of the benchmarks (no Python
// model runtime needed). Input: JSON lines, each ["subject", "body"]. Output: float32 little-endian [rows x 384].
// Usage: dotnet run bench/embed/Embed.cs -- INPUT.jsonl OUTPUT.f32 [MAX_TOKENS=128]
using System.Runtime.InteropServices;
using System.Text.Json;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;

var tickets = File.ReadLines(args[0])
    .Select(line => JsonSerializer.Deserialize<string[]>(line)!)
    .Select(pair => new TicketText(pair[0], pair[1]))
    .ToList();
var options = new EncoderOptions { MaxTokens = args.Length > 2 ? int.Parse(args[2]) : 128, IntraOpThreads = 0 };
using var encoder = SentenceEncoder.LoadMiniLm(options);
var embeddings = encoder.Encode(tickets);
using var output = File.Create(args[1]);
foreach (var embedding in embeddings)
{
    output.Write(MemoryMarshal.AsBytes(embedding.AsSpan()));
}

Console.Error.WriteLine($"{embeddings.Length} embeddings of {encoder.Dimension} dimensions written to {args[1]}");

using Microsoft.ML.OnnxRuntime;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Training.FineTuning;

namespace OpenTicketAI.Training.Tests.FineTuning;

public sealed class BertGraphTests
{
    private static readonly Lazy<BertGraph> MiniLm = new(() => BertGraph.Parse(MiniLmPackage.ReadModel()));

    [Fact]
    public void MiniLm_graph_is_read_as_six_layers_of_twelve_heads()
    {
        var graph = MiniLm.Value;

        Assert.Equal(6, graph.Layers);
        Assert.Equal(384, graph.Dimension);
        Assert.Equal(1536, graph.Intermediate);
        Assert.Equal(12, graph.Heads);
    }

    [Fact]
    public void Last_layer_in_csharp_equals_onnx_runtime_on_minilm()
    {
        var graph = MiniLm.Value;
        var tokens = Tokens("my card was charged twice for the same order, please refund one of them");
        var states = Run(graph.WithStatesBefore(5), tokens, graph.StatesBefore(5), graph.StatesBefore(6));

        var output = new TransformerLayer(graph.ReadLayer(5)).Forward(states[0], tokens.Length).Output;

        AssertClose(states[1], output, 1e-3f);
    }

    [Fact]
    public void Weights_written_back_change_the_onnx_output_exactly_as_the_csharp_layer_does()
    {
        var graph = MiniLm.Value;
        var tokens = Tokens("reset my password");
        var weights = graph.ReadLayer(5);
        var random = new Random(3);
        foreach (var tensor in weights.Tensors)
        {
            for (var i = 0; i < tensor.Length; i++)
            {
                tensor[i] += (float)(random.NextDouble() - 0.5) * 0.02f;
            }
        }

        var entering = Run(graph.WithStatesBefore(5), tokens, graph.StatesBefore(5))[0];
        var tuned = BertGraph.Parse(graph.WithLayers(new Dictionary<int, TransformerLayerWeights> { [5] = weights }));
        var onnx = Run(tuned.WithStatesBefore(6), tokens, tuned.StatesBefore(6))[0];
        var original = Run(graph.WithStatesBefore(6), tokens, graph.StatesBefore(6))[0];

        AssertClose(onnx, new TransformerLayer(weights).Forward(entering, tokens.Length).Output, 1e-3f);
        Assert.True(onnx.Zip(original).Max(p => Math.Abs(p.First - p.Second)) > 1e-2f, "the written weights did not change the graph's output");
    }

    [Fact]
    public void All_layers_graph_concatenates_the_embedding_layer_and_every_encoder_layer_per_token()
    {
        var graph = MiniLm.Value;
        var tokens = Tokens("where is my parcel");
        var layers = Run(graph.WithStatesBefore(0), tokens, graph.StatesBefore(0), graph.StatesBefore(6));

        var all = Run(graph.WithAllLayers(), tokens, BertGraph.AllLayersOutput)[0];

        const int d = 384;
        Assert.Equal(tokens.Length * 7 * d, all.Length);
        for (var t = 0; t < tokens.Length; t++)
        {
            AssertClose(layers[0].AsSpan(t * d, d).ToArray(), all.AsSpan(t * 7 * d, d).ToArray(), 1e-5f);
            AssertClose(layers[1].AsSpan(t * d, d).ToArray(), all.AsSpan(((t * 7) + 6) * d, d).ToArray(), 1e-5f);
        }
    }

    [Fact]
    public void A_graph_without_bert_weight_names_is_refused_with_the_reason()
    {
        var empty = new Onnx.ModelProto { Graph = new Onnx.GraphProto { Name = "not-bert" } };

        var error = Assert.Throws<FineTuningException>(() => BertGraph.Parse(Google.Protobuf.MessageExtensions.ToByteArray(empty)));

        Assert.Contains("embeddings.LayerNorm.bias", error.Message);
        Assert.Contains("Hugging Face", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_an_onnx_graph_are_refused_with_the_reason()
    {
        var error = Assert.Throws<FineTuningException>(() => BertGraph.Parse([1, 2, 3, 4]));

        Assert.Contains("ONNX", error.Message);
    }

    private static int[] Tokens(string text)
    {
        using var encoder = SentenceEncoder.LoadMiniLm();
        return encoder.Tokenize(new TicketText(null, text));
    }

    private static float[][] Run(byte[] onnx, int[] tokens, params string[] outputs)
    {
        using var session = new InferenceSession(onnx);
        long[] shape = [1, tokens.Length];
        using var ids = OrtValue.CreateTensorValueFromMemory(tokens.Select(t => (long)t).ToArray(), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(tokens.Select(_ => 1L).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[tokens.Length], shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types], outputs);
        return results.Select(r => r.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst <= tolerance, $"max abs difference {worst:G4} > {tolerance}");
    }
}

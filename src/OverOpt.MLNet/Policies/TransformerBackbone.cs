using OverOpt.MLNet.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>
/// The body shared by policies and transformer reward models: token and learned position embeddings, pre-norm
/// blocks and a final layer norm. No dropout anywhere, so train and eval modes compute the same function.
/// </summary>
public sealed class TransformerBackbone : nn.Module
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm lnF;

    /// <summary>Builds the embeddings, <see cref="GptShape.Layers"/> blocks and final norm of <paramref name="shape"/> with torch's default initialization (the owning model re-initializes them from its seed).</summary>
    public TransformerBackbone(GptShape shape) : base("backbone")
    {
        Shape = shape;
        wte = nn.Embedding(shape.VocabularySize, shape.ModelDim);
        wpe = nn.Embedding(shape.Context, shape.ModelDim);
        blocks = new ModuleList<TransformerBlock>(Enumerable.Range(0, shape.Layers).Select(i => new TransformerBlock($"block{i}", shape)).ToArray());
        lnF = nn.LayerNorm(shape.ModelDim);
        RegisterComponents();
    }

    /// <summary>The shape it was built with.</summary>
    public GptShape Shape { get; }

    /// <summary>Final hidden states (batch, length, width) of <paramref name="tokens"/> placed after the positions in <paramref name="cache"/>.</summary>
    public Tensor Forward(Tensor tokens, KvCache? cache)
    {
        long start = cache?.Length ?? 0;
        long length = tokens.shape[1];
        if (start + length > Shape.Context)
        {
            throw new ArgumentException($"{start + length} positions exceed the model's context of {Shape.Context}.", nameof(tokens));
        }
        using var positions = TensorMath.Range(start, start + length, tokens.device);
        var x = wte.forward(tokens).Plus(wpe.forward(positions));
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].Forward(x, cache?.Layer(i), start);
        }
        return lnF.forward(x);
    }
}

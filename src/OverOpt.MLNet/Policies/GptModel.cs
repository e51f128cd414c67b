using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>A small GPT: a <see cref="TransformerBackbone"/> and an untied output head over the vocabulary.</summary>
public sealed class GptModel : nn.Module<Tensor, Tensor>
{
    private readonly TransformerBackbone backbone;
    private readonly Linear head;

    /// <summary>The output head's weight among the model's named parameters (a reward network with a likelihood readout copies it).</summary>
    internal const string HeadWeightName = "head.weight";

    /// <summary>Builds a model with weights drawn from <paramref name="seed"/>, without touching torch's global RNG.</summary>
    public GptModel(GptShape shape, long seed) : base("gpt")
    {
        shape.Validate();
        Shape = shape;
        backbone = new TransformerBackbone(shape);
        head = nn.Linear(shape.ModelDim, shape.VocabularySize, hasBias: false);
        RegisterComponents();
        WeightInitializer.Initialize(this, shape.Layers, seed);
    }

    /// <summary>Layers, width, heads, context and vocabulary the model was built with.</summary>
    public GptShape Shape { get; }

    /// <summary>Number of parameters, embeddings and output head included.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Logits (batch, length, vocabulary) of a causal pass over token ids (batch, length).</summary>
    public override Tensor forward(Tensor tokens) => head.forward(backbone.Forward(tokens, null));

    /// <summary>
    /// Logits for <paramref name="tokens"/> appended after the positions already in <paramref name="cache"/>:
    /// either a prefill of an empty cache or one new token per sequence.
    /// </summary>
    public Tensor Forward(Tensor tokens, KvCache cache)
    {
        var logits = head.forward(backbone.Forward(tokens, cache));
        cache.Length += tokens.shape[1];
        return logits;
    }

    /// <summary>The final hidden states of a causal pass, for heads stacked on the policy such as a value head.</summary>
    public Tensor Hidden(Tensor tokens) => backbone.Forward(tokens, null);

    /// <summary>Logits from hidden states computed by <see cref="Hidden"/>.</summary>
    public Tensor Logits(Tensor hidden) => head.forward(hidden);
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>
/// A small GPT: token and learned position embeddings, pre-norm transformer blocks, a final layer norm and an
/// untied output head. No dropout anywhere, so train and eval modes compute the same function (what PPO wants).
/// </summary>
public sealed class GptModel : nn.Module<Tensor, Tensor>
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm lnF;
    private readonly Linear head;

    /// <summary>Builds a model with weights drawn from <paramref name="seed"/> (GPT-2's scheme), without touching torch's global RNG.</summary>
    public GptModel(GptShape shape, long seed) : base("gpt")
    {
        shape.Validate();
        Shape = shape;
        wte = nn.Embedding(shape.VocabularySize, shape.ModelDim);
        wpe = nn.Embedding(shape.Context, shape.ModelDim);
        blocks = new ModuleList<TransformerBlock>(Enumerable.Range(0, shape.Layers).Select(i => new TransformerBlock($"block{i}", shape)).ToArray());
        lnF = nn.LayerNorm(shape.ModelDim);
        head = nn.Linear(shape.ModelDim, shape.VocabularySize, hasBias: false);
        RegisterComponents();
        Initialize(seed);
    }

    public GptShape Shape { get; }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Logits (batch, length, vocabulary) of a causal pass over token ids (batch, length).</summary>
    public override Tensor forward(Tensor tokens) => head.forward(Hidden(tokens, null));

    /// <summary>
    /// Logits for <paramref name="tokens"/> appended after the positions already in <paramref name="cache"/>:
    /// either a prefill of an empty cache or one new token per sequence.
    /// </summary>
    public Tensor Forward(Tensor tokens, KvCache cache)
    {
        var logits = head.forward(Hidden(tokens, cache));
        cache.Length += tokens.shape[1];
        return logits;
    }

    /// <summary>The final hidden states (after the last layer norm), for heads stacked on the policy such as a value head.</summary>
    public Tensor Hidden(Tensor tokens, KvCache? cache)
    {
        long start = cache?.Length ?? 0;
        long length = tokens.shape[1];
        if (start + length > Shape.Context)
        {
            throw new ArgumentException($"{start + length} positions exceed the model's context of {Shape.Context}.", nameof(tokens));
        }
        using var positions = arange(start, start + length, dtype: ScalarType.Int64, device: tokens.device);
        var x = wte.forward(tokens) + wpe.forward(positions);
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].Forward(x, cache?.Layer(i), start);
        }
        return lnF.forward(x);
    }

    private void Initialize(long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2.0 * Shape.Layers);
        foreach (var (name, parameter) in named_parameters())
        {
            using var scope = NewDisposeScope();
            if (name.EndsWith(".bias", StringComparison.Ordinal) || (name.StartsWith("ln", StringComparison.Ordinal) || name.Contains(".ln", StringComparison.Ordinal)))
            {
                bool isNormGain = name.EndsWith(".weight", StringComparison.Ordinal);
                parameter.fill_(isNormGain ? 1.0 : 0.0);
                continue;
            }
            double std = name.EndsWith("proj.weight", StringComparison.OrdinalIgnoreCase) ? residualStd : 0.02;
            parameter.copy_(randn(parameter.shape, generator: generator) * std);
        }
    }
}

using OverOpt.MLNet.Policies;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A transformer reward model: a <see cref="TransformerBackbone"/> over prompt and response, and a linear head on
/// the mean of the final hidden states over all positions. Mean pooling rather than the last token (OpenAI's
/// layout): the preferences here are mostly sums over words, which a mean carries directly; with the last token
/// the 800k-parameter gold reached only R^2 0.66 on its rule in 1,000 steps. The head starts as N(0, 1/sqrt(width + 1)).
/// </summary>
public sealed class RewardNetwork : nn.Module<Tensor, Tensor>
{
    private readonly TransformerBackbone backbone;
    private readonly Linear scoreHead;

    /// <summary>A network of <paramref name="shape"/> (vocabulary included) with weights drawn from <paramref name="seed"/>.</summary>
    public RewardNetwork(GptShape shape, long seed) : base("reward")
    {
        shape.Validate();
        Shape = shape;
        backbone = new TransformerBackbone(shape);
        scoreHead = nn.Linear(shape.ModelDim, 1);
        RegisterComponents();
        WeightInitializer.Initialize(this, shape.Layers, seed, new Dictionary<string, double>
        {
            ["scoreHead.weight"] = 1.0 / Math.Sqrt(shape.ModelDim + 1),
        });
    }

    /// <summary>The backbone's shape.</summary>
    public GptShape Shape { get; }

    /// <summary>Number of parameters, embeddings and score head included: the size on parameter-scaling plots.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Copies the backbone of a language model of the same shape (e.g. one pretrained on the corpus) into this network;
    /// the score head keeps its own initialization. The paper's reward models start from pretrained language models,
    /// so that a larger one also brings a better prior for text far from pi_init's samples.
    /// </summary>
    public void InitializeBackbone(GptModel languageModel)
    {
        if (languageModel.Shape != Shape)
        {
            throw new ArgumentException($"The language model's shape ({languageModel.Shape}) differs from the reward model's ({Shape}).", nameof(languageModel));
        }
        var source = languageModel.named_parameters().Where(p => p.name.StartsWith("backbone.", StringComparison.Ordinal)).ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters().Where(p => p.name.StartsWith("backbone.", StringComparison.Ordinal)))
        {
            parameter.copy_(source[name]);
        }
    }

    /// <summary>Raw scores (batch) of token sequences (batch, length): prompt followed by response.</summary>
    public override Tensor forward(Tensor sequences)
    {
        using var hidden = backbone.Forward(sequences, null);
        using var pooled = hidden.mean([1]);
        return scoreHead.forward(pooled).squeeze(-1);
    }
}

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A transformer reward model: a <see cref="TransformerBackbone"/> over prompt and response, and a linear head on
/// the mean of the final hidden states over all positions. Mean pooling rather than the last token (OpenAI's
/// layout): the preferences here are mostly sums over words, which a mean carries directly; with the last token
/// the 800k-parameter gold reached only R^2 0.66 on its rule in 1,000 steps. The head starts as N(0, 1/sqrt(width + 1)).
/// With <see cref="RewardReadout.MeanPoolAndLikelihood"/> the network also keeps a frozen copy of the pretrained
/// language model (backbone and head) and the score head reads the sequence's log-likelihood under it (in nats, summed
/// over its tokens) beside the pooled states; with <see cref="RewardReadout.MeanPoolLikelihoodAndSurprise"/>, its excess
/// surprise too. Frozen, because fine-tuned with the rest at the reward model's learning
/// rate the likelihood lost what made it useful (world pilot: a 3x64 reward model fell below a 2x32 one).
/// </summary>
public sealed class RewardNetwork : nn.Module<Tensor, Tensor>
{
    private readonly TransformerBackbone backbone;
    private readonly TransformerBackbone? languageBackbone;
    private readonly Linear? languageHead;
    private readonly Linear scoreHead;

    /// <summary>
    /// A network of <paramref name="shape"/> (vocabulary included) reading <paramref name="readout"/>, with weights drawn
    /// from <paramref name="seed"/>.
    /// </summary>
    public RewardNetwork(GptShape shape, long seed, RewardReadout readout = RewardReadout.MeanPool) : base("reward")
    {
        shape.Validate();
        Shape = shape;
        Readout = readout;
        backbone = new TransformerBackbone(shape);
        LanguageFeatureCount = readout switch
        {
            RewardReadout.MeanPool => 0,
            RewardReadout.MeanPoolAndLikelihood => 1,
            RewardReadout.MeanPoolLikelihoodAndSurprise => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(readout), readout, "not a readout"),
        };
        bool likelihood = LanguageFeatureCount > 0;
        // Null in a mean-pool network, whose parameters, seeded initialization and packed weights stay as before readouts.
        languageBackbone = likelihood ? new TransformerBackbone(shape) : null;
        languageHead = likelihood ? nn.Linear(shape.ModelDim, shape.VocabularySize, hasBias: false) : null;
        scoreHead = nn.Linear(shape.ModelDim + LanguageFeatureCount, 1);
        RegisterComponents();
        WeightInitializer.Initialize(this, shape.Layers, seed, new Dictionary<string, double>
        {
            ["scoreHead.weight"] = 1.0 / Math.Sqrt(shape.ModelDim + 1),
        });
        foreach (var parameter in LanguageModelParameters)
        {
            parameter.requires_grad = false;
        }
        if (likelihood)
        {
            // The language model's weights start at 0: the head begins as a mean-pool one and learns how much the
            // likelihood (and surprise) counts, rather than starting from the assumption that likelier text is better.
            using var noGrad = no_grad();
            using var weights = scoreHead.weight![0, TensorIndex.Slice(shape.ModelDim)];
            weights.zero_();
        }
    }

    /// <summary>The backbone's shape.</summary>
    public GptShape Shape { get; }

    /// <summary>What the score head reads.</summary>
    public RewardReadout Readout { get; }

    /// <summary>The frozen language model's parameters (none without a likelihood readout).</summary>
    private IEnumerable<Parameter> LanguageModelParameters
        => (languageBackbone?.parameters() ?? []).Concat(languageHead?.parameters() ?? []);

    /// <summary>Number of parameters, embeddings, score head and a likelihood readout's frozen language model included: the size on parameter-scaling plots.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Copies the backbone of a language model of the same shape (e.g. one pretrained on the corpus) into this network,
    /// and the whole language model into its frozen copy where the readout has one; the score head keeps its own
    /// initialization. The paper's reward models start from pretrained language models,
    /// so that a larger one also brings a better prior for text far from pi_init's samples.
    /// </summary>
    public void InitializeBackbone(GptModel languageModel)
    {
        if (languageModel.Shape != Shape)
        {
            throw new ArgumentException($"The language model's shape ({languageModel.Shape}) differs from the reward model's ({Shape}).", nameof(languageModel));
        }
        var source = languageModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            string? from = name.StartsWith("backbone.", StringComparison.Ordinal) ? name
                : name.StartsWith("languageBackbone.", StringComparison.Ordinal) ? "backbone." + name["languageBackbone.".Length..]
                : name == "languageHead.weight" ? GptModel.HeadWeightName : null;
            if (from is not null)
            {
                parameter.copy_(source[from]);
            }
        }
    }

    /// <summary>Raw scores (batch) of token sequences (batch, length): prompt followed by response.</summary>
    public override Tensor forward(Tensor sequences)
    {
        using var features = Features(sequences);
        return Score(features);
    }

    /// <summary>How many features the score head reads: the width, and the readout's <see cref="LanguageFeatureCount"/>.</summary>
    public int FeatureCount => Shape.ModelDim + LanguageFeatureCount;

    /// <summary>How many of the features come from the frozen language model: 0, 1 (the likelihood) or 2 (and the excess surprise).</summary>
    public int LanguageFeatureCount { get; }

    /// <summary>
    /// What the score head reads (batch, <see cref="FeatureCount"/>): the mean of the final hidden states, and where the
    /// readout has them, the sequence's log-likelihood (and excess surprise) under the frozen language model. A trainer may
    /// fit other heads on them beside the score (the gold trainer's per-term heads). <paramref name="likelihood"/> (batch,
    /// 1), where given to a <see cref="RewardReadout.MeanPoolAndLikelihood"/> network, is that log-likelihood computed
    /// before by <see cref="LanguageLogLikelihood"/> on the same batch: the frozen copy is the same for every reward model
    /// pretrained from one language model, so a caller that scores the same samples with several of them computes it once.
    /// </summary>
    public Tensor Features(Tensor sequences, Tensor? likelihood = null)
    {
        if (likelihood is not null && languageBackbone is null)
        {
            throw new InvalidOperationException($"A reward network reading {Readout} reads no likelihood; it was given one.");
        }
        using var hidden = backbone.Forward(sequences, null);
        if (languageBackbone is null || languageHead is null)
        {
            return hidden.mean([1]);
        }
        if (likelihood is not null && LanguageFeatureCount != 1)
        {
            throw new InvalidOperationException($"A reward network reading {Readout} reads more than the likelihood; it was given the likelihood alone.");
        }
        using var scope = NewDisposeScope();
        var pooled = hidden.mean([1]);
        var language = likelihood ?? (LanguageFeatureCount == 1 ? LanguageLogLikelihood(sequences) : LanguageLikelihoodAndExcessSurprise(sequences));
        return cat([pooled, language], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The log-likelihood and the excess surprise (batch, 2) of token sequences (batch, length) under the frozen language
    /// model (<see cref="RewardReadout.MeanPoolLikelihoodAndSurprise"/>), each in nats summed over every token after the first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The readout reads no likelihood.</exception>
    public Tensor LanguageLikelihoodAndExcessSurprise(Tensor sequences)
    {
        using var scope = NewDisposeScope();
        var (tokens, entropies) = LanguageTokenReadings(sequences);
        var excess = (-tokens - entropies).ClampedBelow(0);
        return stack([tokens.sum(1), excess.sum(1)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The log-likelihood (batch, 1) of token sequences (batch, length) under the frozen language model, in nats summed
    /// over every token after the first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The readout reads no likelihood.</exception>
    public Tensor LanguageLogLikelihood(Tensor sequences)
    {
        // A sum in nats, not a mean per token: a pair's responses differ by a few nats, which a weight near 1 turns into a
        // Bradley-Terry margin, where a per-token mean would need a weight of tens that Adam's steps of the learning rate
        // would not reach in a few hundred updates. The prompt's share is common to both responses.
        using var tokens = LanguageTokenLogProbabilities(sequences);
        return tokens.sum([1], keepdim: true);
    }

    /// <summary>
    /// The log-probability (batch, length - 1) of every token after the first of token sequences (batch, length) under
    /// the frozen language model, given the tokens before it: where in a sequence its language model is surprised.
    /// </summary>
    /// <exception cref="InvalidOperationException">The readout reads no likelihood.</exception>
    public Tensor LanguageTokenLogProbabilities(Tensor sequences)
    {
        using var scope = NewDisposeScope();
        return TokensOf(LanguageLogDistributions(sequences), sequences).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// From one pass of the frozen language model over token sequences (batch, length), for every token after the first
    /// (batch, length - 1 each): its log-probability given the tokens before it (<see cref="LanguageTokenLogProbabilities"/>),
    /// and the entropy in nats of the model's next-token distribution there, how sure it was before seeing it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The readout reads no likelihood.</exception>
    public (Tensor LogProbabilities, Tensor Entropies) LanguageTokenReadings(Tensor sequences)
    {
        using var scope = NewDisposeScope();
        var logDistributions = LanguageLogDistributions(sequences);
        var entropies = -(logDistributions.exp() * logDistributions).sum(-1);
        return (TokensOf(logDistributions, sequences).MoveToOuterDisposeScope(), entropies.MoveToOuterDisposeScope());
    }

    /// <summary>Each token's log-probability (batch, length - 1) read from the distributions that predict it.</summary>
    private static Tensor TokensOf(Tensor logDistributions, Tensor sequences)
        => logDistributions.gather(-1, sequences.narrow(1, 1, sequences.shape[1] - 1).unsqueeze(-1)).squeeze(-1);

    /// <summary>The frozen language model's log-softmax over the vocabulary (batch, length - 1, vocabulary); position t predicts token t + 1.</summary>
    private Tensor LanguageLogDistributions(Tensor sequences)
    {
        if (languageBackbone is null || languageHead is null)
        {
            throw new InvalidOperationException($"A reward network reading {Readout} has no language model whose likelihood it reads.");
        }
        using var noGrad = no_grad();
        long length = sequences.shape[1];
        return languageHead.forward(languageBackbone.Forward(sequences, null).narrow(1, 0, length - 1)).log_softmax(-1);
    }

    /// <summary>
    /// What identifies the frozen language model (a SHA-256 of its weights, in hex), so that likelihoods computed with
    /// one network serve every network with the same copy; null where the readout reads no likelihood. Computed on each
    /// call (milliseconds), since loading or <see cref="InitializeBackbone"/> replaces the weights in place.
    /// </summary>
    public string? LanguageModelFingerprint => FingerprintOf(LanguageModelParameters.ToList());

    /// <summary>Raw scores (batch) of <see cref="Features"/>.</summary>
    public Tensor Score(Tensor features) => scoreHead.forward(features).squeeze(-1);

    private static string? FingerprintOf(IReadOnlyList<Parameter> parameters)
    {
        if (parameters.Count == 0)
        {
            return null;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var parameter in parameters)
        {
            using var scope = NewDisposeScope();
            var values = parameter.detach().cpu().to_type(ScalarType.Float32).data<float>().ToArray();
            hash.AppendData(MemoryMarshal.AsBytes(parameter.shape.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}

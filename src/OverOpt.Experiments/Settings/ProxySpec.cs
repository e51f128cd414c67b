using System.Text.Json;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Trainers;
using RewardNoiseLaw = OverOpt.MLNet.RewardModels.NoiseDistribution;

namespace OverOpt.Experiments.Settings;

/// <summary>
/// One proxy reward model. <c>kind</c> "transformer" uses layers, modelDim, heads, epochs, batchSize, learningRate;
/// <c>kind</c> "fasttree" uses trees, leaves, ngramLength; <c>kind</c> "noisyGold" (gold plus seeded noise, the proxy
/// seed its noise function) uses noise, noiseDistribution, degreesOfFreedom; <c>kind</c> "ensemble" uses of (a transformer
/// proxy of the pipeline, every member's recipe), members, objective, uncertaintyPenalty.
/// </summary>
public sealed class ProxySpec
{
    public string Name { get; set; } = "proxy";

    /// <summary>"transformer", "fasttree", "noisyGold" or "ensemble".</summary>
    public string Kind { get; set; } = TransformerRewardModel.KindName;

    public int Layers { get; set; } = TransformerRewardTrainer.Defaults.Layers;

    public int ModelDim { get; set; } = TransformerRewardTrainer.Defaults.ModelDim;

    public int Heads { get; set; } = TransformerRewardTrainer.Defaults.Heads;

    public int Epochs { get; set; } = TransformerRewardTrainer.Defaults.Epochs;

    public int BatchSize { get; set; } = TransformerRewardTrainer.Defaults.BatchSize;

    public double LearningRate { get; set; } = TransformerRewardTrainer.Defaults.LearningRate;

    /// <summary>Transformers: start from a language model of the same shape pretrained on the corpus (cached), as the paper's reward models do.</summary>
    public bool Pretrained { get; set; } = true;

    /// <summary>
    /// Transformers: what the score head reads, a <see cref="RewardReadout"/> name (<c>meanPool</c>,
    /// <c>meanPoolAndLikelihood</c>); null (left out) is <c>meanPool</c> and no part of the proxy's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public string? Readout { get; set; }

    /// <summary>noisyGold: the noise's standard deviation (normal) or scale (studentT), in gold's units; null is 1.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public double? Noise { get; set; }

    /// <summary>noisyGold: <c>normal</c> (null) or <c>studentT</c>.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public string? NoiseDistribution { get; set; }

    /// <summary>noisyGold with <c>studentT</c>: whole degrees of freedom; null is 3.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? DegreesOfFreedom { get; set; }

    /// <summary>ensemble: the transformer proxy (by name) every member is trained as, with a seed of its own.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public string? Of { get; set; }

    /// <summary>ensemble: members; null is 3.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? Members { get; set; }

    /// <summary>ensemble: <c>mean</c> (null), <c>worstCase</c> or <c>uncertaintyWeighted</c>.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public string? Objective { get; set; }

    /// <summary>ensemble with <c>uncertaintyWeighted</c>: lambda; null is 0.5.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public double? UncertaintyPenalty { get; set; }

    /// <summary>Whether this proxy is an ensemble of another proxy's seeds (<see cref="EnsembleRewardModel"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEnsemble => Kind == EnsembleRewardModel.KindName;

    /// <summary>
    /// An ensemble's member seeds at proxy seed <paramref name="proxySeed"/>: (proxySeed - 1) k + 1 .. proxySeed k, so the
    /// replicates of a sweep over proxy seeds draw disjoint members, and proxy seed 1's members are seeds 1 .. k (the
    /// single proxies of a size sweep's proxy seeds 1 .. k, reused from the cache).
    /// </summary>
    public IReadOnlyList<int> MemberSeeds(int proxySeed)
    {
        int k = Members ?? EnsembleRewardTrainer.Defaults.Members;
        return Enumerable.Range((proxySeed - 1) * k + 1, k).ToArray();
    }

    /// <summary>The ensemble's objective as the library names it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BestOfNObjective EnsembleObjective => Objective switch
    {
        null or "mean" => BestOfNObjective.Mean,
        "worstCase" => BestOfNObjective.WorstCase,
        "uncertaintyWeighted" => BestOfNObjective.UncertaintyWeighted,
        _ => throw new OverOptConfigurationException($"unknown objective '{Objective}'.", "objective", "use \"mean\", \"worstCase\" or \"uncertaintyWeighted\"."),
    };

    /// <summary>Whether this proxy is gold plus noise (<see cref="NoisyGoldRewardModel"/>): built, not trained or cached.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsNoisyGold => Kind == NoisyGoldRewardModel.KindName;

    public int Trees { get; set; } = FastTreeRewardTrainer.Defaults.NumberOfTrees;

    public int Leaves { get; set; } = FastTreeRewardTrainer.Defaults.NumberOfLeaves;

    public int NgramLength { get; set; } = FastTreeRewardTrainer.Defaults.NgramLength;

    /// <summary>The library's options this spec stands for: the one place a proxy's settings map onto a trainer's.</summary>
    public FastTreeRewardTrainer.Options FastTreeOptions() => new() { Name = Name, NumberOfTrees = Trees, NumberOfLeaves = Leaves, NgramLength = NgramLength };

    /// <inheritdoc cref="FastTreeOptions"/>
    /// <param name="gold">The gold the noise is added to.</param>
    /// <param name="seed">The noise function's seed (the pipeline's proxy seed).</param>
    public NoisyGoldRewardTrainer.Options NoisyGoldOptions(IRewardScorer? gold, int seed) => new()
    {
        Name = Name,
        Gold = gold,
        NoiseScale = Noise ?? NoisyGoldRewardTrainer.Defaults.NoiseScale,
        Distribution = ParseDistribution(NoiseDistribution),
        DegreesOfFreedom = DegreesOfFreedom ?? NoisyGoldRewardTrainer.Defaults.DegreesOfFreedom,
        Seed = seed,
    };

    /// <inheritdoc cref="FastTreeOptions"/>
    /// <param name="context">Prompt plus response length, which the reward model reads.</param>
    /// <param name="seed">Seeds the weights and the order of comparisons.</param>
    public TransformerRewardTrainer.Options TransformerOptions(int context, int seed) => new()
    {
        Name = Name,
        Shape = new GptShape { Layers = Layers, ModelDim = ModelDim, Heads = Heads, Context = context },
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        Seed = seed,
        Readout = ReadoutSetting.Parse(Readout, Pretrained),
    };

    /// <summary>
    /// Checks the settings of this spec's kind as the trainer will, when the pipeline loads; an error names the spec's
    /// own field (<c>leaves</c>, not the option's <c>numberOfLeaves</c>).
    /// </summary>
    public void Validate(int context)
    {
        try
        {
            switch (Kind)
            {
                case FastTreeRewardModel.KindName:
                    FastTreeOptions().ValidateSettings();
                    if (Readout is not null)
                    {
                        throw new OverOptConfigurationException("readout is a transformer proxy's setting; a FastTree proxy reads n-grams.", "readout", "leave it out of FastTree proxies.");
                    }
                    break;
                case TransformerRewardModel.KindName:
                    TransformerOptions(context, seed: 0).ValidateSettings();
                    break;
                case EnsembleRewardModel.KindName:
                    new EnsembleRewardTrainer.Options
                    {
                        Members = Members ?? EnsembleRewardTrainer.Defaults.Members,
                        Objective = EnsembleObjective,
                        UncertaintyPenalty = UncertaintyPenalty ?? EnsembleRewardTrainer.Defaults.UncertaintyPenalty,
                    }.ValidateSettings();
                    if (Of is null)
                    {
                        throw new OverOptConfigurationException("an ensemble names the proxy its members are trained as.", "of", "set of to the name of a transformer proxy of this pipeline.");
                    }
                    break;
                case NoisyGoldRewardModel.KindName:
                    NoisyGoldOptions(gold: null, seed: 0).ValidateSettings();
                    if (Readout is not null)
                    {
                        throw new OverOptConfigurationException("readout is a transformer proxy's setting; a noisyGold proxy is gold plus noise.", "readout", "leave it out of noisyGold proxies.");
                    }
                    break;
                default:
                    throw new OverOptConfigurationException($"unknown kind '{Kind}'.", "kind",
                        $"use \"{TransformerRewardModel.KindName}\", \"{FastTreeRewardModel.KindName}\", \"{NoisyGoldRewardModel.KindName}\" or \"{EnsembleRewardModel.KindName}\".");
            }
            if (!IsEnsemble && (Of is not null || Members is not null || Objective is not null || UncertaintyPenalty is not null))
            {
                string field = Of is not null ? "of" : Members is not null ? "members" : Objective is not null ? "objective" : "uncertaintyPenalty";
                throw new OverOptConfigurationException($"{field} is an ensemble's setting, and this proxy's kind is '{Kind}'.", field, $"leave it out, or set kind to \"{EnsembleRewardModel.KindName}\".");
            }
            if (!IsNoisyGold && (Noise is not null || NoiseDistribution is not null || DegreesOfFreedom is not null))
            {
                string field = Noise is not null ? "noise" : NoiseDistribution is not null ? "noiseDistribution" : "degreesOfFreedom";
                throw new OverOptConfigurationException($"{field} is a noisyGold proxy's setting, and this proxy's kind is '{Kind}'.", field, $"leave it out, or set kind to \"{NoisyGoldRewardModel.KindName}\".");
            }
        }
        catch (OverOptConfigurationException e) when (SpecField(e.Field) != e.Field)
        {
            string field = SpecField(e.Field);
            throw new OverOptConfigurationException(e.Problem.Replace(e.Field, field, StringComparison.Ordinal), field, e.Fix.Replace(e.Field, field, StringComparison.Ordinal), e.File, e);
        }
    }

    private static RewardNoiseLaw ParseDistribution(string? name) => name switch
    {
        null or "normal" => RewardNoiseLaw.Normal,
        "studentT" => RewardNoiseLaw.StudentT,
        _ => throw new OverOptConfigurationException($"unknown noiseDistribution '{name}'.", "noiseDistribution", "use \"normal\" or \"studentT\"."),
    };

    private static string SpecField(string optionField) => optionField switch
    {
        "numberOfTrees" => "trees",
        "numberOfLeaves" => "leaves",
        "noiseScale" => "noise",
        _ => optionField,
    };
}

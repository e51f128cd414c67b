using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Trainers;

namespace OverOpt.Experiments.Settings;

/// <summary>
/// The gold reward model of a pipeline: a transformer trained to reproduce the world's rule (see GoldRewardTrainer), its
/// size and training; or, with <see cref="Kind"/> <c>rule</c>, the rule itself.
/// </summary>
public sealed class GoldSpec
{
    /// <summary>The <see cref="Kind"/> of a gold that is the world's rule, computed exactly.</summary>
    public const string RuleKind = "rule";

    /// <summary>The <see cref="Kind"/> of a gold network (the default).</summary>
    public const string TransformerKind = "transformer";

    /// <summary>
    /// <c>transformer</c> (null, left out: no part of any cache key): a network trained to reproduce the world's rule, as
    /// the paper's gold is a network. <c>rule</c>: the rule itself, standardized on pi_init's samples; the settings below
    /// are then unused. A world's reader is known exactly, so the rule is a gold with no error of its own and costs no
    /// training (docs/world-pilot.md section 7).
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public string? Kind { get; set; }

    /// <summary>Whether gold is the world's rule rather than a network.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRule => Kind == RuleKind;

    public int Layers { get; set; } = GoldRewardTrainer.Defaults.Layers;

    public int ModelDim { get; set; } = GoldRewardTrainer.Defaults.ModelDim;

    public int Heads { get; set; } = GoldRewardTrainer.Defaults.Heads;

    public int Steps { get; set; } = GoldRewardTrainer.Defaults.Steps;

    public int BatchSize { get; set; } = GoldRewardTrainer.Defaults.BatchSize;

    public double LearningRate { get; set; } = GoldRewardTrainer.Defaults.LearningRate;

    /// <summary>Start from a language model of gold's shape pretrained on the corpus (cached).</summary>
    public bool Pretrained { get; set; } = true;

    /// <summary>
    /// What gold's score head reads, as a proxy's <c>readout</c>: <c>meanPool</c> (null, left out: no part of gold's cache
    /// key) or <c>meanPoolAndLikelihood</c> (also its language model's likelihood; needs <see cref="Pretrained"/>).
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public string? Readout { get; set; }

    /// <summary>
    /// Weight of the per-term auxiliary loss (<see cref="GoldRewardTrainer.Options.TermLossWeight"/>): a head regressing
    /// each term of the world's rule beside the total. Null (left out): 0, none, and no part of gold's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public double? TermLossWeight { get; set; }

    /// <summary>
    /// The rule's terms the per-term head regresses (<see cref="GoldRewardTrainer.Options.TermLossTerms"/>), e.g.
    /// <c>["effect"]</c>. Null (left out): every term, and no part of gold's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public string[]? TermLossTerms { get; set; }

    /// <summary>
    /// Weight of the pair loss on pi_init's samples (<see cref="GoldRewardTrainer.Options.PairLossWeight"/>): the rule's
    /// order of two samples of one prompt, fitted with the Bradley-Terry loss beside the regression. Null (left out): 0,
    /// none, and no part of gold's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public double? PairLossWeight { get; set; }

    /// <summary>
    /// Count each group's regression error (pi_init's samples, edited copies) relative to its own spread
    /// (<see cref="GoldRewardTrainer.Options.BalancedError"/>). Null (left out): false, the plain mean squared error, and
    /// no part of gold's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public bool? BalancedError { get; set; }

    /// <summary>
    /// With <see cref="BalancedError"/> and exchanges, count the exchanges as a group of their own in it
    /// (<see cref="GoldRewardTrainer.Options.BalancedExchanges"/>). Null (left out): false, they count as edited copies,
    /// and no part of gold's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public bool? BalancedExchanges { get; set; }

    /// <summary>
    /// The share of pi_init's samples below which a term of the rule counts as rare and its breaks weigh as if that share
    /// broke it (<see cref="GoldRewardTrainer.Options.RareTermShare"/>). Null (left out): 0, none, and no part of gold's
    /// cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public double? RareTermShare { get; set; }

    /// <summary>
    /// Share of the edited copies that exchange one word stating a fact for another of its group
    /// (<see cref="GoldRewardTrainer.Options.ExchangeFraction"/>): a feeling its causes owe, the weather. Null (left out):
    /// 0, none, and no part of gold's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public double? ExchangeFraction { get; set; }

    /// <summary>
    /// The rule's word groups the exchanges draw from (<see cref="GoldRewardTrainer.Options.ExchangeGroups"/>), e.g.
    /// <c>["pronouns", "reactions"]</c>; storyworld's are <c>feelings</c>, <c>weather</c>, <c>pronouns</c> and
    /// <c>reactions</c>. Null (left out): feelings and weather, as before, and no part of gold's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public string[]? ExchangeGroups { get; set; }

    /// <summary>
    /// Seeds gold's training (<see cref="GoldRewardTrainer.Options.Seed"/>: the samples of pi_init it learns from, the
    /// edits, the data order, the score head's initial weights) apart from the pipeline's seed, so that one pi_init and
    /// one language model of gold's shape get several gold trainings: the spread a gold lever must beat. Null (left
    /// out): the pipeline's seed, and no part of gold's cache key.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? Seed { get; set; }

    /// <summary>Training prompts; each gets <see cref="SamplesPerPrompt"/> pi_init responses.</summary>
    public int Prompts { get; set; } = GoldRewardTrainer.Defaults.Prompts;

    public int SamplesPerPrompt { get; set; } = GoldRewardTrainer.Defaults.SamplesPerPrompt;

    /// <summary>Share of training responses that are edited copies (cheer piled up, words repeated).</summary>
    public double EditedFraction { get; set; } = GoldRewardTrainer.Defaults.EditedFraction;

    /// <summary>
    /// The library's options this section stands for: the one place it maps onto <see cref="GoldRewardTrainer.Options"/>.
    /// The caller adds what is no setting (pi_init, the corpus, device, progress).
    /// </summary>
    public GoldRewardTrainer.Options Options(SamplingSpec sampling, int seed) => new()
    {
        Shape = new GptShape { Layers = Layers, ModelDim = ModelDim, Heads = Heads, Context = sampling.PromptLength + sampling.ResponseLength },
        Prompts = Prompts,
        SamplesPerPrompt = SamplesPerPrompt,
        ResponseLength = sampling.ResponseLength,
        Temperature = sampling.Temperature,
        EditedFraction = EditedFraction,
        ExchangeFraction = ExchangeFraction ?? 0,
        ExchangeGroups = ExchangeGroups,
        Steps = Steps,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        Seed = this.Seed ?? seed,
        Readout = ReadoutSetting.Parse(Readout, Pretrained),
        TermLossWeight = TermLossWeight ?? 0,
        TermLossTerms = TermLossTerms,
        PairLossWeight = PairLossWeight ?? 0,
        BalancedError = BalancedError ?? false,
        BalancedExchanges = BalancedExchanges ?? false,
        RareTermShare = RareTermShare ?? 0,
    };
}

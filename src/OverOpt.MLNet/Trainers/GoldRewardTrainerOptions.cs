using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Trainers;

public sealed partial class GoldRewardTrainer
{
    /// <summary>The defaults of <see cref="Options"/> and of the pipelines' <c>gold</c> section.</summary>
    public static class Defaults
    {
        /// <summary>Transformer blocks: gold is the largest model, as the paper's gold is.</summary>
        public const int Layers = 4;

        /// <summary>Width of the residual stream (at least four times the largest default proxy's).</summary>
        public const int ModelDim = 128;

        /// <summary>Attention heads.</summary>
        public const int Heads = 4;

        /// <summary>Training prompts used, at most.</summary>
        public const int Prompts = 1500;

        /// <summary>pi_init's samples per training prompt.</summary>
        public const int SamplesPerPrompt = 8;

        /// <summary>Share of training responses that are edited copies.</summary>
        public const double EditedFraction = 0.5;

        /// <summary>AdamW steps.</summary>
        public const int Steps = 1000;

        /// <summary>Responses per step.</summary>
        public const int BatchSize = 64;

        /// <summary>Peak AdamW learning rate.</summary>
        public const double LearningRate = 1e-3;

        /// <summary>The seed of a library user's gold; pipelines pass their own.</summary>
        public const int Seed = 7;
    }

    /// <summary>Options of <see cref="GoldRewardTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>pi_init: it samples the training responses and supplies the tokenizer. Required.</summary>
        public Policy? InitialPolicy;

        /// <summary>The taste gold learns; null: <see cref="GoldPreference"/> of <see cref="Corpus"/> (the "tinytales" world's).</summary>
        public IPreferenceRule? Rule;

        /// <summary>The corpus whose trigram grammar <see cref="GoldPreference"/>'s fluency term reads; required where <see cref="Rule"/> is null.</summary>
        public TextCorpus? Corpus;

        /// <summary>The column of prompt token ids in the data <see cref="Fit"/> reads.</summary>
        public string PromptColumnName = RewardColumnDefaults.Prompt;

        /// <summary>Size (the vocabulary comes from the policy's tokenizer).</summary>
        public GptShape Shape = new() { Layers = Defaults.Layers, ModelDim = Defaults.ModelDim, Heads = Defaults.Heads, Context = 32 };

        /// <summary>Training prompts used, at most: the first this many rows.</summary>
        public int Prompts = Defaults.Prompts;

        /// <summary>pi_init's samples per training prompt, before the edited copies are added.</summary>
        public int SamplesPerPrompt = Defaults.SamplesPerPrompt;

        /// <summary>Tokens per sampled response.</summary>
        public int ResponseLength = 16;

        /// <summary>Temperature of pi_init's samples (the pipeline's, so gold learns the distribution it will judge).</summary>
        public double Temperature = 1.0;

        /// <summary>Share of training responses that are edited copies (out of pi_init's distribution).</summary>
        public double EditedFraction = Defaults.EditedFraction;

        /// <summary>
        /// Share of the edited copies that are exchanges instead (<see cref="EditVocabulary.Exchanges"/>): a response of
        /// pi_init that holds a word stating a fact (a feeling its causes owe, the weather) with that one word replaced by
        /// another of its group, so that gold sees the same story with the fact right and wrong. Their sources are drawn
        /// among the samples holding such a word; the other copies are edited as before. 0: none (as before the option
        /// existed); above 0 needs a rule with exchange groups (storyworld's).
        /// </summary>
        public double ExchangeFraction;

        /// <summary>
        /// The rule's exchange groups the exchanges draw from (<see cref="ExchangeGroup.Name"/>; storyworld's:
        /// <c>feelings</c>, <c>weather</c>, <c>pronouns</c>, <c>reactions</c>), each exchange drawing one of the groups the
        /// response holds, then one of its words. Null: the rule's default groups (storyworld's feelings and weather), an
        /// exchange drawing a position among all their words, as before groups had names.
        /// </summary>
        public string[]? ExchangeGroups;

        /// <summary>AdamW steps of the regression: linear warm-up over the first twentieth, then a cosine to a tenth of the peak.</summary>
        public int Steps = Defaults.Steps;

        /// <summary>Responses per step, drawn with replacement from the training nine tenths.</summary>
        public int BatchSize = Defaults.BatchSize;

        /// <summary>Peak AdamW learning rate.</summary>
        public double LearningRate = Defaults.LearningRate;

        /// <summary>Seeds pi_init's samples, the edits, the data order and the network's initial weights.</summary>
        public int Seed = Defaults.Seed;

        /// <summary>A language model of gold's shape pretrained on the corpus, whose backbone initializes gold; null: random weights.</summary>
        public Policy? PretrainedInitialization;

        /// <summary>
        /// What the score head reads, as for a proxy (<see cref="TransformerRewardTrainer.Options.Readout"/>):
        /// <see cref="RewardReadout.MeanPoolAndLikelihood"/> also reads a frozen copy of <see cref="PretrainedInitialization"/>'s likelihood.
        /// </summary>
        public RewardReadout Readout = RewardReadout.MeanPool;

        /// <summary>
        /// Weight of an auxiliary loss: a linear head beside the score head regresses each term of the rule
        /// (<see cref="IPreferenceRule.Terms"/>, standardized) from the same features, so that every term, also one
        /// that moves the total little on pi_init's samples, gets a gradient of its own into the network. The head is
        /// dropped after training. 0: none (the total alone, as before the option existed).
        /// </summary>
        public double TermLossWeight;

        /// <summary>
        /// The rule's terms the per-term head regresses (by <see cref="IPreferenceRule.Terms"/>' names, e.g.
        /// <c>effect</c>); null: every term. One term alone gets the head's whole gradient without the others pulling
        /// the shared features their way. Needs <see cref="TermLossWeight"/> above 0.
        /// </summary>
        public string[]? TermLossTerms;

        /// <summary>
        /// Weight of a pairwise loss on pi_init's samples: a quarter of each batch's responses are pairs of samples of
        /// one prompt that the rule tells apart, and the score's difference is fitted to the rule's order with the
        /// Bradley-Terry (logistic) loss, beside the regression on the other three quarters. The regression's targets are
        /// standardized over edited copies too, whose wide spread leaves pi_init's fine differences little of its
        /// error; the pair loss fits exactly the order that judging pairs needs. 0: none (every row regressed, as before
        /// the option existed).
        /// </summary>
        public double PairLossWeight;

        /// <summary>
        /// Weigh each row's squared error by the inverse of its group's target variance (<see cref="GoldErrorWeights"/>):
        /// pi_init's samples and the edited copies each count relative to their own spread, instead of the copies' wide
        /// spread owning nearly all of the error. False: the plain mean squared error, as before the option existed.
        /// </summary>
        public bool BalancedError;

        /// <summary>
        /// With <see cref="BalancedError"/> and exchanges (<see cref="ExchangeFraction"/>), count the exchanges as a group
        /// of their own: they lie on pi_init's distribution, one fact apart from their source, so among the edited copies
        /// they get those copies' wide spread as their measure and little of the error. False: they count as edited copies.
        /// </summary>
        public bool BalancedExchanges;

        /// <summary>
        /// The share of pi_init's samples below which a term of the rule counts as rare: the samples breaking such a term
        /// (departing from its most common value) weigh in the regression's error as if that share broke it
        /// (<see cref="RareTermWeights"/>), so that a term one sample in a hundred breaks is not misread for want of
        /// error. 0: none, as before the option existed.
        /// </summary>
        public double RareTermShare;

        /// <summary>Where the network trains; null: the CPU (pi_init samples on its own device).</summary>
        public Device? Device;

        /// <summary>Receives sampling progress, the running loss every 50 steps and the scoring of held-out and normalization samples; null for none.</summary>
        public IProgress<ProgressUpdate>? Progress;

        /// <summary>
        /// Where the regression's checkpoint goes (<c>gold.checkpoint.zip</c>); null disables it. A training whose folder
        /// holds its checkpoint (same options, same pi_init samples and rule scores) resumes from it, to the numbers of an
        /// uninterrupted one; a checkpoint of another training stops it with the fix.
        /// </summary>
        public string? CheckpointDirectory;

        /// <summary>Steps between checkpoints (the last step also writes one).</summary>
        public int CheckpointInterval = 250;

        internal void Validate()
        {
            if (InitialPolicy is null)
            {
                throw new OverOptConfigurationException("no initial policy was given.", "initialPolicy", "pass pi_init (a pretrained Policy): its samples are what gold learns to judge.");
            }
            if (Rule is null && Corpus is null)
            {
                throw new OverOptConfigurationException("neither a rule nor a corpus was given.", "corpus",
                    "pass the rule gold learns (rule), or the corpus pi_init was pretrained on for the tinytales rule, whose fluency term reads its grammar.");
            }
            (Shape with { VocabularySize = InitialPolicy.Tokenizer.VocabularySize }).Validate();
            ValidateSettings();
            RewardReadoutChecks.RequireLanguageModel(Readout, PretrainedInitialization is not null);
        }

        /// <summary>Checks every setting that needs neither pi_init nor the rule; an error names the option's field.</summary>
        public void ValidateSettings()
        {
            Shape.Validate(includeVocabulary: false);
            foreach (var (value, field) in new[] { (Prompts, "prompts"), (SamplesPerPrompt, "samplesPerPrompt"), (ResponseLength, "responseLength"), (Steps, "steps"), (BatchSize, "batchSize"), (CheckpointInterval, "checkpointInterval") })
            {
                Require.Positive(value, field);
            }
            if (!(TermLossWeight >= 0) || double.IsInfinity(TermLossWeight))
            {
                throw new OverOptConfigurationException($"termLossWeight = {TermLossWeight} must be 0 or more.", "termLossWeight", "use 0 (the total alone) or e.g. 1.");
            }
            if (TermLossTerms is { } named && (named.Length == 0 || named.Any(string.IsNullOrWhiteSpace) || !(TermLossWeight > 0)))
            {
                throw new OverOptConfigurationException(
                    $"termLossTerms = [{string.Join(", ", named)}] needs a termLossWeight above 0 and at least one term name.", "termLossTerms",
                    "leave it out (every term), or name the rule's terms (e.g. [\"effect\"]) with termLossWeight above 0.");
            }
            if (!(PairLossWeight >= 0) || double.IsInfinity(PairLossWeight))
            {
                throw new OverOptConfigurationException($"pairLossWeight = {PairLossWeight} must be 0 or more.", "pairLossWeight", "use 0 (regression alone) or e.g. 1.");
            }
            if (PairLossWeight > 0 && BatchSize < 4)
            {
                throw new OverOptConfigurationException($"batchSize = {BatchSize} leaves no room for pairs beside the regression.", "batchSize", "use a batch of at least 4 (64 by default) with pairLossWeight.");
            }
            if (EditedFraction is < 0 or >= 1)
            {
                throw new OverOptConfigurationException($"editedFraction = {EditedFraction} lies outside [0, 1).", "editedFraction", "use 0.5 (half the training responses edited).");
            }
            if (!(ExchangeFraction is >= 0 and <= 1))
            {
                throw new OverOptConfigurationException($"exchangeFraction = {ExchangeFraction} lies outside [0, 1].", "exchangeFraction",
                    "use 0 (no exchanges) or e.g. 0.5 (half the edited copies exchange one fact).");
            }
            if (ExchangeGroups is { Length: 0 })
            {
                throw new OverOptConfigurationException("exchangeGroups is empty.", "exchangeGroups", "name the rule's groups to exchange (e.g. [\"pronouns\", \"reactions\"]) or leave it out for the default ones.");
            }
            if (ExchangeGroups is not null && ExchangeFraction == 0)
            {
                throw new OverOptConfigurationException("exchangeGroups is set, but exchangeFraction is 0, so no copy is an exchange.", "exchangeGroups",
                    "set exchangeFraction (e.g. 0.5) or leave exchangeGroups out.");
            }
            if (BalancedExchanges && !(BalancedError && ExchangeFraction > 0))
            {
                throw new OverOptConfigurationException("balancedExchanges is set, but " + (BalancedError ? "exchangeFraction is 0, so there are no exchanges to count apart." : "balancedError is not."),
                    "balancedExchanges", "set balancedError true and exchangeFraction above 0 (e.g. 0.5), or leave balancedExchanges out.");
            }
            if (!(RareTermShare is >= 0 and < 1))
            {
                throw new OverOptConfigurationException($"rareTermShare = {RareTermShare} lies outside [0, 1).", "rareTermShare",
                    "use 0 (no term weighted) or a small share such as 0.05 (the samples breaking a term rarer than that weigh as if 5% broke it).");
            }
            if (!(LearningRate > 0))
            {
                throw new OverOptConfigurationException($"learningRate = {LearningRate} must be positive.", "learningRate", "use a value such as 1e-3.");
            }
            RewardReadoutChecks.RequireDefined(Readout);
        }
    }
}

using Microsoft.ML;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Builds a proxy that is gold plus independent noise (<see cref="NoisyGoldRewardModel"/>): regressional Goodhart alone,
/// the paper's sec. 4.2. It learns no weights; from the training preference rows it measures gold's variance between
/// two responses to one prompt (each comparison is two independent samples of the same prompt: Var = E[(X1 - X2)^2] / 2),
/// which best-of-n's selection within a prompt works against, and records eq. 1's prediction of gold's slope against the
/// proxy's, Var X / (Var X + Var Z), in <see cref="RewardModelInfo.Metrics"/>.
/// </summary>
public sealed class NoisyGoldRewardTrainer : IEstimator<RewardModel>
{
    /// <summary>Metric: gold's variance within a prompt, on the training comparisons.</summary>
    public const string GoldWithinPromptVarianceMetric = "gold_within_prompt_variance";

    /// <summary>Metric: the noise's variance (infinite for Student's t with 2 or fewer degrees of freedom).</summary>
    public const string NoiseVarianceMetric = "noise_variance";

    /// <summary>Metric: Var X / (Var X + Var Z), gold's predicted rise per unit of the proxy's rise (0 for infinite noise variance).</summary>
    public const string PredictedGoldSlopeMetric = "predicted_gold_slope";

    private readonly MLContext _ml;
    private readonly Options _options;

    /// <summary>Use <c>mlContext.RewardModels().Trainers.NoisyGold</c>.</summary>
    public NoisyGoldRewardTrainer(MLContext mlContext, Options options)
    {
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>The defaults of <see cref="Options"/> and of the pipelines' <c>noisyGold</c> proxies.</summary>
    public static class Defaults
    {
        /// <summary>Noise scale: gold's own standard deviation on pi_init's samples.</summary>
        public const double NoiseScale = 1.0;

        /// <summary>Student's t degrees of freedom: the fewest with a finite variance.</summary>
        public const int DegreesOfFreedom = 3;
    }

    /// <summary>Options of <see cref="NoisyGoldRewardTrainer"/>.</summary>
    public sealed class Options : RewardTrainerOptions
    {
        /// <summary>Options with the name "noisy-gold".</summary>
        public Options()
        {
            Name = "noisy-gold";
        }

        /// <summary>The gold the noise is added to (a gold reward model or the world's rule, standardized).</summary>
        public IRewardScorer? Gold;

        /// <summary>Standard deviation (normal) or scale (Student's t) of the noise, in gold's units.</summary>
        public double NoiseScale = Defaults.NoiseScale;

        /// <summary>The noise's law.</summary>
        public NoiseDistribution Distribution = NoiseDistribution.Normal;

        /// <summary>Student's t's degrees of freedom (a whole number; read for Student's t only).</summary>
        public int DegreesOfFreedom = Defaults.DegreesOfFreedom;

        /// <summary>Which noise function: another seed draws independent noise for every response.</summary>
        public int Seed = 1;

        internal void Validate()
        {
            RequireTokenizer(Tokenizer);
            if (Gold is null)
            {
                throw new OverOptConfigurationException("no gold was given.", "gold", "pass the gold reward model (or the world's rule as a scorer) the noise is added to.");
            }
            ValidateSettings();
        }

        /// <summary>Checks every setting that needs neither data nor gold; an error names the option's field.</summary>
        public void ValidateSettings()
        {
            if (!(NoiseScale >= 0) || double.IsInfinity(NoiseScale))
            {
                throw new OverOptConfigurationException($"noiseScale is {NoiseScale}.", "noiseScale", "use a finite number >= 0, in gold's units (gold has std 1 on pi_init's samples).");
            }
            if (Distribution == NoiseDistribution.StudentT && DegreesOfFreedom < 1)
            {
                throw new OverOptConfigurationException($"degreesOfFreedom is {DegreesOfFreedom}.", "degreesOfFreedom", "use a whole number >= 1 (2 or 3 for heavy tails).");
            }
        }

        internal ResponseNoise Noise() => new(NoiseScale, Distribution, DegreesOfFreedom, Seed);
    }

    /// <summary>Measures gold's within-prompt variance on the preference rows of <paramref name="input"/> and builds the proxy.</summary>
    public RewardModel Fit(IDataView input) => Fit(input, validationData: null);

    /// <summary>
    /// As <see cref="Fit(IDataView)"/>; the proxy's validation loss and accuracy are measured on
    /// <paramref name="validationData"/> (held-out preference rows), as for the learned proxies.
    /// </summary>
    public RewardModel Fit(IDataView trainData, IDataView? validationData)
    {
        var rows = PreferenceData.ReadPairs(_ml, trainData, _options.Columns, Purpose);
        var prompts = rows.Select(r => r.PromptTokens).ToArray();
        var chosen = _options.Gold!.Score(prompts, rows.Select(r => r.ChosenTokens).ToArray());
        var rejected = _options.Gold.Score(prompts, rows.Select(r => r.RejectedTokens).ToArray());
        double within = rows.Count == 0 ? double.NaN : chosen.Zip(rejected, (a, b) => ((double)a - b) * ((double)a - b)).Average() / 2;
        var noise = _options.Noise();
        var info = new RewardModelInfo
        {
            Name = _options.Name,
            Parameters = 0,
            TrainingComparisons = rows.Count,
            // Two noise seeds (or scales) over one gold are different functions: resume checks must tell them apart.
            Provenance = $"{NoisyGoldRewardModel.KindName}|{_options.Gold.Provenance}|{noise.Distribution}|{noise.Scale:R}|{noise.DegreesOfFreedom}|{noise.Seed}",
            PromptColumnName = _options.PromptColumnName,
            ResponseColumnName = _options.ResponseColumnName,
            Metrics = new Dictionary<string, double>
            {
                [GoldWithinPromptVarianceMetric] = within,
                [NoiseVarianceMetric] = noise.Variance,
                [PredictedGoldSlopeMetric] = PredictedGoldSlope(within, noise.Variance),
            },
        };
        var model = NoisyGoldRewardModel.Create(_ml, _options.Gold, noise, info, _options.Tokenizer!);
        return _options.Validated(_ml, validationData, model);
    }

    /// <summary>Eq. 1's slope Var X / (Var X + Var Z): 1 without noise, 0 for infinite noise variance.</summary>
    public static double PredictedGoldSlope(double goldVariance, double noiseVariance)
        => double.IsPositiveInfinity(noiseVariance) ? 0 : noiseVariance == 0 ? 1 : goldVariance / (goldVariance + noiseVariance);

    /// <summary>The input's columns plus the float <c>Score</c>; checks the preference columns first.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        PreferenceData.RequireColumns(inputSchema, _options.Columns, Purpose);
        return RewardSchemas.WithScore(_ml, inputSchema);
    }

    private string Purpose => $"building noisy-gold proxy '{_options.Name}'";
}

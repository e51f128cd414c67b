using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// Options of <see cref="OveroptimizationCatalog.EvaluateBestOfN"/>: which columns hold the prompt id, the proxy
/// score(s) and the gold score, the range of n, the bootstrap, and the ensemble's uncertainty penalty.
/// </summary>
public sealed class BestOfNEvaluationOptions
{
    /// <summary>The default of every option, in one place (the command line uses the same values).</summary>
    public static class Defaults
    {
        /// <summary>The prompt id column of <see cref="ScoredSample"/>, so its rows evaluate unchanged.</summary>
        public const string PromptColumnName = "PromptIndex";

        /// <summary>The proxy score column of <see cref="ScoredSample"/>.</summary>
        public const string ProxyColumnName = "ProxyScore";

        /// <summary>The gold score column of <see cref="ScoredSample"/>.</summary>
        public const string GoldColumnName = "GoldScore";

        /// <summary>Scores are normalized to mean 0, std 1 over the samples unless turned off.</summary>
        public const bool NormalizeScores = true;

        /// <summary>lambda of the uncertainty-weighted objective; Coste et al. (2024) use 0.5 for best-of-n.</summary>
        public const double UncertaintyPenalty = 0.5;
    }

    /// <summary>The column that says which prompt a sample answers: text or any number. Rows are grouped by it.</summary>
    public string PromptColumnName = Defaults.PromptColumnName;

    /// <summary>
    /// One or more proxy score columns (numbers, or text holding numbers). Each gets its own curve; two or more also
    /// make an ensemble with the objectives of <see cref="BestOfNObjective"/>.
    /// </summary>
    public string[] ProxyColumnNames = [Defaults.ProxyColumnName];

    /// <summary>The gold score column (a gold reward model's score or a human label), numbers or text holding numbers.</summary>
    public string GoldColumnName = Defaults.GoldColumnName;

    /// <summary>
    /// Largest n. Null: the fewest samples any prompt has, so that no prompt is left out. Prompts with fewer samples
    /// than this are left out and listed in <see cref="BestOfNEvaluationResult.LeftOutPrompts"/>.
    /// </summary>
    public int? MaxN;

    /// <summary>Points of each curve, spaced evenly in d from n = 1 to the largest n.</summary>
    public int Points = BestOfNOptions.Defaults.Points;

    /// <summary>Bootstrap resamples of prompts for the 95% intervals of curves and fits.</summary>
    public int BootstrapResamples = BestOfNOptions.Defaults.BootstrapResamples;

    /// <summary>Seeds the bootstrap.</summary>
    public int Seed = BestOfNOptions.Defaults.Seed;

    /// <summary>
    /// Whether each score column (every proxy column and gold) is first shifted and scaled so that the samples have
    /// mean 0 and standard deviation 1, as our pipeline's reward models are on pi_init's samples (the default):
    /// ensemble members must share a scale before their mean, minimum and variance mean anything. False: the scores
    /// as given. Either way every curve is re-centred so that n = 1 scores 0, since the R_bon fit has no intercept.
    /// </summary>
    public bool NormalizeScores = Defaults.NormalizeScores;

    /// <summary>
    /// lambda of the uncertainty-weighted objective mean - lambda * variance, where the variance is the population
    /// variance of the members' scores of one sample (divided by the number of members k, not k - 1).
    /// </summary>
    public double UncertaintyPenalty = Defaults.UncertaintyPenalty;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(PromptColumnName) || string.IsNullOrWhiteSpace(GoldColumnName))
        {
            throw new OverOptConfigurationException("the prompt and gold column names must not be empty.", "columns", "name them with --prompt-column and --gold-column (PromptColumnName, GoldColumnName).");
        }
        if (ProxyColumnNames is null || ProxyColumnNames.Length == 0 || ProxyColumnNames.Any(string.IsNullOrWhiteSpace))
        {
            throw new OverOptConfigurationException("no proxy score column was named.", "proxyColumns", "name one or more with --proxy-column (ProxyColumnNames).");
        }
        if (ProxyColumnNames.Distinct(StringComparer.Ordinal).Count() != ProxyColumnNames.Length)
        {
            throw new OverOptConfigurationException($"the proxy columns {string.Join(", ", ProxyColumnNames)} name one column twice.", "proxyColumns", "name each proxy column once.");
        }
        if (MaxN is < 1)
        {
            throw new OverOptConfigurationException($"maxN = {MaxN}; it must be at least 1.", "maxN", "use at most the number of samples per prompt, or leave it out.");
        }
        if (!double.IsFinite(UncertaintyPenalty) || UncertaintyPenalty < 0)
        {
            throw new OverOptConfigurationException($"lambda = {UncertaintyPenalty}; it must be a finite number >= 0.", "lambda", "use e.g. 0.5.");
        }
        // Points and resamples are checked by the curve's own options, before any data is read.
        CurveOptions(1, "check").Validate();
    }

    /// <summary>The options of one objective's curve; <see cref="BestOfNOptions"/> checks points and resamples.</summary>
    internal BestOfNOptions CurveOptions(int maxN, string label) => new()
    {
        MaxN = maxN,
        Points = Points,
        BootstrapResamples = BootstrapResamples,
        Seed = Seed,
        Proxy = label,
    };
}

using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// One curve of a sweep database, as the studies read it: one proxy's best-of-n curve of one task (per pipeline seed),
/// or one PPO run's curve (per PPO seed), with what it was trained on and what the database says of its proxy.
/// </summary>
public sealed record StudyCurve
{
    /// <summary>The task that produced it.</summary>
    public required int Task { get; init; }

    /// <summary>The curve's key as <c>curve_points</c> gives it.</summary>
    public required CurveKey Key { get; init; }

    /// <summary>Best-of-n or PPO.</summary>
    public OptimizationMethod Method => Key.Method;

    /// <summary>The optimized policy.</summary>
    public string Policy => Key.Policy;

    /// <summary>The policy's parameters (the <c>policies</c> table), 0 where the database does not say.</summary>
    public long PolicyParams { get; init; }

    /// <summary>The proxy's name.</summary>
    public string Proxy => Key.Proxy;

    /// <summary>"transformer", "fasttree", "noisyGold" or "ensemble".</summary>
    public string Kind => Key.ProxyKind;

    /// <summary>The proxy's parameters (for FastTree: trees x leaves).</summary>
    public long Params => Key.ProxyParams;

    /// <summary>Comparisons the proxy was trained on.</summary>
    public int Comparisons => Key.Comparisons;

    /// <summary>PPO's KL coefficient (0 for best-of-n).</summary>
    public double KlCoefficient => Key.KlCoefficient;

    /// <summary>
    /// The task's world and world seed (e.g. <c>storyworld-1:2</c>); empty for tinytales, the world of a pipeline without a
    /// <c>world</c> section. Another world seed is another corpus, pi_init, gold and comparisons: a replicate of its own.
    /// </summary>
    public string World { get; init; } = "";

    /// <summary>The task's pipeline seed (gold, pi_init, comparisons, best-of-n samples).</summary>
    public required long Seed { get; init; }

    /// <summary>The seed the proxy was trained with; null for FastTree (no seed).</summary>
    public int? ProxySeed => Key.ProxySeed;

    /// <summary>PPO's (or direct alignment's) seed; null for best-of-n.</summary>
    public int? RunSeed => Method != OptimizationMethod.BestOfN ? Key.Seed.Value : null;

    /// <summary>Epochs the transformer proxy was trained for (its task's configuration); 0 for FastTree or where unknown.</summary>
    public int Epochs { get; init; }

    /// <summary>The proxy's validation loss (<c>reward_models</c>), NaN where unknown.</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>A noisyGold proxy's noise law (<c>normal</c> or <c>studentT</c>, from its task's configuration); empty for the others.</summary>
    public string NoiseDistribution { get; init; } = "";

    /// <summary>A direct alignment curve's pairs per optimizer step (its task's configuration), for its steps in epochs; 0 for the others.</summary>
    public int DirectAlignmentBatchSize { get; init; }

    /// <summary>Optimizer steps in one epoch of a direct alignment curve (its comparisons over its batch size); NaN for the others.</summary>
    public double StepsPerEpoch => DirectAlignmentBatchSize > 0 ? Math.Ceiling((double)Comparisons / DirectAlignmentBatchSize) : double.NaN;

    /// <summary>An ensemble's recipe: the single proxy its members are trained as (from its task's configuration); empty for the others.</summary>
    public string EnsembleOf { get; init; } = "";

    /// <summary>An ensemble's objective (<c>mean</c>, <c>worstCase</c>, <c>uncertaintyWeighted</c>); empty for the others.</summary>
    public string EnsembleObjective { get; init; } = "";

    /// <summary>A noisyGold proxy's predicted slope of gold against the proxy, Var X / (Var X + Var Z) (<c>reward_models</c>); NaN for the others.</summary>
    public double PredictedGoldSlope { get; init; } = double.NaN;

    /// <summary>The fitted alpha and beta of <c>fits</c> for this curve (not the shared-alpha ones); NaN where absent.</summary>
    public double Alpha { get; init; } = double.NaN;

    /// <summary>See <see cref="Alpha"/>.</summary>
    public double Beta { get; init; } = double.NaN;

    /// <summary>
    /// (alpha, beta) in this curve's <see cref="Form"/>: those of <c>fits</c> where the database has them, else least
    /// squares on its points (a database merged from tasks that wrote no fits); NaN where the points cannot be fitted
    /// (fewer than two with d &gt; 0).
    /// </summary>
    public (double Alpha, double Beta) Fit()
    {
        if (double.IsFinite(Alpha) && double.IsFinite(Beta))
        {
            return (Alpha, Beta);
        }
        try
        {
            return CurveFitter.LeastSquares(Form, Points.Select(p => p.D).ToArray(), Points.Select(p => p.GoldScore).ToArray());
        }
        catch (ArgumentException)
        {
            return (double.NaN, double.NaN);
        }
    }

    /// <summary>The points in order of n (best-of-n) or step (PPO).</summary>
    public required IReadOnlyList<CurvePoint> Points { get; init; }

    /// <summary>
    /// The replicate: what differs between seeds of one configuration (world, pipeline seed, proxy seed, PPO seed), as
    /// text, e.g. <c>s1/p2</c>, <c>s1/p2/r1</c> or <c>storyworld-1:2/s1/p2</c>.
    /// </summary>
    public string Replicate => $"{(World.Length > 0 ? World + "/" : "")}s{Seed}/p{ProxySeed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}{(RunSeed is { } r ? $"/r{r}" : "")}";

    /// <summary>The fit's form for this method.</summary>
    public GoldCurveForm Form => Method == OptimizationMethod.BestOfN ? GoldCurveForm.BestOfN : GoldCurveForm.ReinforcementLearning;

    /// <summary>Gold's peak: the point of highest gold, and whether gold then falls below the peak's interval.</summary>
    public OveroptimizationVerdict Verdict => OveroptimizationVerdict.Assess(Points);

    /// <summary>Log10 of the proxy's parameters.</summary>
    public double LogParams => Math.Log10(Params);
}

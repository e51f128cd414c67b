namespace OverOpt.Experiments.Files;

/// <summary>
/// The names of the files a run, a sweep and <c>overopt evaluate bon</c> write, in one place: the sweep database, the
/// studies and the CLI read what the pipeline writes, and one figure has one name wherever it is drawn.
/// </summary>
public static class OutputFiles
{
    public const string Curves = "curves.csv";
    public const string Fits = "fits.csv";
    public const string RewardModels = "reward_models.csv";
    public const string Policies = "policies.csv";
    public const string Samples = "samples.csv";
    public const string Comparisons = "comparisons.csv";
    public const string Report = "report.md";
    public const string Summary = "summary.json";

    /// <summary>When each job of a policy's proxies, best-of-n and PPO ran, and on which worker.</summary>
    public const string Jobs = "jobs.csv";

    /// <summary>Iterated RLHF's rounds (the pipeline's <c>iteratedRlhf</c>).</summary>
    public const string IteratedRlhf = "iterated.csv";

    public const string BestOfNScoresFigure = "bon-scores-vs-d.png";
    public const string RlScoresFigure = "rl-scores-vs-d.png";
    public const string RlKlFigure = "rl-kl-vs-step.png";
    public const string GoldAgainstProxyFigure = "gold-vs-proxy.png";
    public const string IteratedRlhfFigure = "iterated-gold-vs-d.png";

    /// <summary>A sweep task's log, beside its outputs.</summary>
    public const string TaskLog = "task.log";

    /// <summary>The marker a finished sweep task leaves, with its record.</summary>
    public const string TaskRecord = "done.json";

    public const string SweepDatabase = "sweep.db";
    public const string SweepReport = "sweep-report.md";
}

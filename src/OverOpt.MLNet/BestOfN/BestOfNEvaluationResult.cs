namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// What <see cref="OveroptimizationCatalog.EvaluateBestOfN"/> returns: one <see cref="BestOfNObjectiveResult"/> per
/// proxy column, then, for two or more proxy columns, one per ensemble objective (mean, worst case,
/// uncertainty-weighted); and what was left out of the data and why.
/// </summary>
public sealed class BestOfNEvaluationResult
{
    internal BestOfNEvaluationResult(IReadOnlyList<BestOfNObjectiveResult> objectives, int maxN, int prompts, int samples, IReadOnlyList<LeftOutPrompt> leftOut, int repeatedRows, IReadOnlyList<ScoreNormalization> normalization)
    {
        Normalization = normalization;
        Objectives = objectives;
        MaxN = maxN;
        Prompts = prompts;
        Samples = samples;
        LeftOutPrompts = leftOut;
        RepeatedRows = repeatedRows;
    }

    /// <summary>Each proxy column's result in the order named, then the ensemble objectives.</summary>
    public IReadOnlyList<BestOfNObjectiveResult> Objectives { get; }

    /// <summary>The largest n of the curves.</summary>
    public int MaxN { get; }

    /// <summary>Prompts evaluated (those with at least <see cref="MaxN"/> samples).</summary>
    public int Prompts { get; }

    /// <summary>Samples (rows) of the evaluated prompts.</summary>
    public int Samples { get; }

    /// <summary>Prompts with fewer samples than <see cref="MaxN"/>, in order of first appearance; not in any curve.</summary>
    public IReadOnlyList<LeftOutPrompt> LeftOutPrompts { get; }

    /// <summary>
    /// Rows whose prompt id and every score equal those of an earlier row. They are kept as samples of their own: a
    /// policy can repeat a response, and then its samples repeat too.
    /// </summary>
    public int RepeatedRows { get; }

    /// <summary>How each proxy column, then gold, was normalized (empty when <see cref="BestOfNEvaluationOptions.NormalizeScores"/> is off).</summary>
    public IReadOnlyList<ScoreNormalization> Normalization { get; }

    /// <summary>The result of the objective labelled <paramref name="label"/>.</summary>
    public BestOfNObjectiveResult this[string label]
        => Objectives.FirstOrDefault(o => o.Label == label)
           ?? throw new KeyNotFoundException($"no objective is labelled '{label}'; there are {string.Join(", ", Objectives.Select(o => o.Label))}.");
}

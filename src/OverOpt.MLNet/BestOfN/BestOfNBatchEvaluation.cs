using Microsoft.ML;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// The work behind <see cref="OveroptimizationCatalog.EvaluateBestOfN"/>: read and group the samples, leave out the
/// prompts with too few of them, normalize the scores, build each objective's scores, and hand them with gold to
/// <see cref="BestOfNEvaluator"/>.
/// </summary>
internal static class BestOfNBatchEvaluation
{
    public static BestOfNEvaluationResult Evaluate(IDataView data, BestOfNEvaluationOptions options)
    {
        options.Validate();
        var (prompts, repeated) = SampleTableReader.Read(data, options);
        int maxN = options.MaxN ?? prompts.Min(p => p.Count);
        var kept = prompts.Where(p => p.Count >= maxN).ToList();
        if (kept.Count == 0)
        {
            var largest = prompts.MaxBy(p => p.Count)!;
            throw new OverOptConfigurationException(
                $"no prompt has maxN = {maxN} samples; the most any prompt has is {largest.Count} (prompt '{largest.Id}'), so every prompt would be left out.",
                "maxN", $"lower --max-n (MaxN) to at most {largest.Count}, or leave it out to use the fewest samples any prompt has.");
        }
        if (BestOfNMath.GridEvenInD(maxN, options.Points).Length < 3)
        {
            throw new OverOptConfigurationException(
                $"maxN = {maxN} with {options.Points} points gives fewer than 3 values of n, and the R_bon fit needs two with n > 1.",
                "maxN", "use --max-n 3 or more (every prompt then needs that many samples) and --points 3 or more.");
        }
        var normalization = options.NormalizeScores ? ScoreNormalizer.Apply(kept, options.ProxyColumnNames, options.GoldColumnName) : [];
        var gold = kept.Select(p => p.Gold.ToArray()).ToArray();
        var results = Objectives(options)
            .Select(o => EvaluateObjective(kept, gold, o.Label, o.Objective, o.Members, o.Slice, maxN, options))
            .ToList();
        var leftOut = prompts.Where(p => p.Count < maxN).Select(p => new LeftOutPrompt(p.Id, p.Count)).ToList();
        return new BestOfNEvaluationResult(results, maxN, kept.Count, kept.Sum(p => p.Count), leftOut, repeated, normalization);
    }

    /// <summary>Each proxy column alone, then, for two or more, the ensemble objectives over all of them.</summary>
    private static List<(string Label, BestOfNObjective Objective, string[] Members, Range Slice)> Objectives(BestOfNEvaluationOptions options)
    {
        var columns = options.ProxyColumnNames;
        var objectives = columns.Select((name, i) => (name, BestOfNObjective.Single, new[] { name }, new Range(i, i + 1))).ToList();
        if (columns.Length > 1)
        {
            foreach (var objective in new[] { BestOfNObjective.Mean, BestOfNObjective.WorstCase, BestOfNObjective.UncertaintyWeighted })
            {
                string label = EnsembleObjectives.Label(objective, options.UncertaintyPenalty);
                if (columns.Contains(label, StringComparer.Ordinal))
                {
                    throw new OverOptConfigurationException(
                        $"a proxy column is named '{label}', the label of the ensemble's {objective} curve.", label, "rename that column.");
                }
                objectives.Add((label, objective, columns, Range.All));
            }
        }
        return objectives;
    }

    private static BestOfNObjectiveResult EvaluateObjective(
        List<PromptSamples> prompts, float[][] gold, string label, BestOfNObjective objective, string[] members, Range slice, int maxN, BestOfNEvaluationOptions options)
    {
        // The objective of sample i is computed from sample i's own scores and stays at index i beside gold[i]; the
        // evaluator sorts (objective, gold) pairs together, so no score can part from its sample.
        var scores = prompts
            .Select(p => p.Proxy.Select(s => (float)EnsembleObjectives.Evaluate(objective, s.AsSpan()[slice], options.UncertaintyPenalty)).ToArray())
            .ToArray();
        var result = BestOfNEvaluator.Evaluate(scores, gold, options.CurveOptions(maxN, label));
        return new BestOfNObjectiveResult(label, objective, members, result.Points, result.Fit, OveroptimizationVerdict.Assess(result.Points));
    }
}

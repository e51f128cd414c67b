using System.Globalization;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Reporting;

/// <summary>The figures of a pipeline run: best-of-n and RL scores against d, gold against proxy, KL against step.</summary>
internal static class RunFigures
{
    public static void Write(string output, IReadOnlyList<PolicyOutcome> outcomes)
    {
        bool several = outcomes.Count > 1;
        string Prefix(string policy) => several ? $"{policy}/" : "";
        var bon = outcomes.Any(o => o.BestOfN is not null)
            ? outcomes.Where(o => o.BestOfN is not null).SelectMany(o => o.BestOfN!.Curves.Select(c => ($"{Prefix(o.Policy)}{c.Proxy.Name}", c))).ToList()
            : null;
        var ppo = outcomes.SelectMany(o => o.Ppo).ToList();
        if (bon is not null)
        {
            CurvePlots.ScoresAgainstD(Path.Combine(output, OutputFiles.BestOfNScoresFigure), "Best-of-n: gold (solid, 95% band) and proxy (dashed) against d",
                bon.Select(b => (b.Item1, b.c.Result.Points, (GoldCurveFit?)b.c.Result.Fit)).ToList());
        }
        if (ppo.Count > 0)
        {
            int seeds = ppo.Min(c => c.Seeds.Count);
            CurvePlots.ScoresAgainstD(Path.Combine(output, OutputFiles.RlScoresFigure), $"PPO, mean of {seeds} seeds: gold (solid, seed-level 95% band) and proxy (dashed) against d",
                ppo.Select(c => (Prefix(c.Policy) + Label(c, ppo), c.MeanCurve, c.MeanFit)).ToList());
            CurvePlots.KlAgainstStep(Path.Combine(output, OutputFiles.RlKlFigure), $"PPO: KL against step (mean of {seeds} seeds)",
                ppo.Select(c => (Prefix(c.Policy) + Label(c, ppo), c.MeanCurve)).ToList());
        }
        var lines = (bon?.Select(b => ($"{b.Item1} (bon)", b.c.Result.Points)) ?? [])
            .Concat(ppo.Select(c => ($"{Prefix(c.Policy)}{Label(c, ppo)} (ppo)", c.MeanCurve)))
            .ToList();
        CurvePlots.GoldAgainstProxy(Path.Combine(output, OutputFiles.GoldAgainstProxyFigure), "Gold against proxy score: best-of-n and PPO", lines);
    }

    /// <summary>The proxy's name, with the KL coefficient where the run has several.</summary>
    public static string Label(PpoConfiguration configuration, IReadOnlyList<PpoConfiguration> all)
        => all.Select(c => c.KlCoefficient).Distinct().Count() > 1
            ? $"{configuration.Proxy.Name}, beta {configuration.KlCoefficient.ToString("G3", CultureInfo.InvariantCulture)}"
            : configuration.Proxy.Name;
}

using System.Diagnostics;
using Microsoft.ML;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Ppo;
using OverOpt.MLNet.Reporting;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Pipelines;

/// <summary>
/// The reward side of a pipeline after pretraining: gold, comparisons and proxies, then best-of-n and PPO against
/// them, then curves.csv, fits.csv, the figures and report.md.
/// </summary>
internal sealed class OveroptimizationRun
{
    private readonly MLContext _ml;
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;
    private readonly ArtifactCache _cache;
    private readonly IReadOnlySet<string> _reused;

    public OveroptimizationRun(MLContext mlContext, PipelineDefinition pipeline, PipelineRunOptions run, ArtifactCache cache, IReadOnlySet<string> reused)
    {
        _ml = mlContext;
        _pipeline = pipeline;
        _run = run;
        _cache = cache;
        _reused = reused;
    }

    public PipelineResult Run(TextCorpus corpus, Policy policy, string output, PipelineResult result, Stopwatch clock)
    {
        var stage = new RewardModelStage(_ml, _pipeline, _run, _cache);
        var models = new List<RewardModel>();
        try
        {
            var gold = stage.Gold(policy, corpus);
            models.Add(gold);
            var (train, validation, trainCount) = stage.Comparisons(policy, gold, corpus, output);
            foreach (var spec in _pipeline.Proxies)
            {
                models.Add(stage.Proxy(spec, policy, gold, train, validation));
            }
            bool FromCache(RewardModel model) => _reused.Contains(_cache.PathFor(model.Name == "gold" ? "gold" : "proxies", model.Info.Provenance));
            RewardModelStage.WriteSummary(models.Select(m => (m, FromCache(m))), Path.Combine(output, "reward_models.csv"));
            result = result with
            {
                RewardModels = models.Select(m => new RewardModelResult(m.Name, m.Info.Kind, m.Info.Parameters, m.Info.TrainingComparisons,
                    m.Info.ValidationLoss, m.Info.ValidationAccuracy, FromCache(m), m.Info.Metrics)).ToList(),
            };
            var proxies = models.Skip(1).ToList();
            if (proxies.Count == 0)
            {
                return result;
            }

            BestOfNOutcome? bon = null;
            if (_pipeline.BestOfN.Prompts > 0)
            {
                var (samples, goldScores, curves) = new BestOfNStage(_ml, _pipeline, _run).Run(policy, gold, proxies.Select(m => (m, trainCount)).ToList(), corpus);
                bon = new BestOfNOutcome(samples, goldScores, curves);
            }
            var ppo = new List<(RewardModel Proxy, PpoResult Result, double Seconds)>();
            foreach (var name in _pipeline.Ppo.Proxies)
            {
                var watch = Stopwatch.StartNew();
                var run = new PpoStage(_ml, _pipeline, _run).Run(policy, proxies.Single(p => p.Name == name), gold, trainCount, corpus, output);
                run.Policy.Dispose();
                ppo.Add((proxies.Single(p => p.Name == name), run, watch.Elapsed.TotalSeconds));
            }

            WriteTables(output, bon, ppo);
            WritePlots(output, bon, ppo);
            result = result with
            {
                BestOfN = bon?.Curves.Select(c => new BestOfNSummary(c.Proxy.Name, c.Proxy.Info.Parameters, c.Result.Fit, c.Verdict, c.Result.Points[c.Verdict.PeakIndex].N)).ToList() ?? [],
                Ppo = ppo.Select(r =>
                {
                    var verdict = OveroptimizationVerdict.Assess(r.Result.Curve);
                    var last = r.Result.Curve[^1];
                    return new PpoSummary(r.Proxy.Name, r.Result.Fit, verdict, (int)r.Result.Curve[verdict.PeakIndex].Step, last.ProxyScore, last.Kl, r.Seconds);
                }).ToList(),
                WallSeconds = clock.Elapsed.TotalSeconds,
            };
            ReportWriter.Write(Path.Combine(output, "report.md"), _pipeline, result, gold, bon, policy.Tokenizer);
            return result;
        }
        finally
        {
            foreach (var model in models)
            {
                model.Dispose();
            }
        }
    }

    private static void WriteTables(string output, BestOfNOutcome? bon, IReadOnlyList<(RewardModel Proxy, PpoResult Result, double Seconds)> ppo)
    {
        var points = (bon?.Curves.SelectMany(c => c.Result.Points) ?? []).Concat(ppo.SelectMany(r => r.Result.Curve));
        CurveTables.WriteCurves(Path.Combine(output, "curves.csv"), points);
        var fits = (bon?.Curves.Select(c => ("bon", c.Result.Points[0], c.Result.Fit)) ?? [])
            .Concat(ppo.Where(r => r.Result.Fit is not null).Select(r => ("ppo", r.Result.Curve[0], r.Result.Fit!)));
        CurveTables.WriteFits(Path.Combine(output, "fits.csv"), fits);
    }

    private static void WritePlots(string output, BestOfNOutcome? bon, IReadOnlyList<(RewardModel Proxy, PpoResult Result, double Seconds)> ppo)
    {
        if (bon is not null)
        {
            CurvePlots.ScoresAgainstD(Path.Combine(output, "bon-scores-vs-d.png"), "Best-of-n: gold (solid) and proxy (dashed) against d",
                bon.Curves.Select(c => (c.Proxy.Name, c.Result.Points, (GoldCurveFit?)c.Result.Fit)).ToList());
        }
        if (ppo.Count > 0)
        {
            CurvePlots.ScoresAgainstD(Path.Combine(output, "rl-scores-vs-d.png"), "PPO: gold (solid) and proxy (dashed) against d",
                ppo.Select(r => (r.Proxy.Name, r.Result.Curve, r.Result.Fit)).ToList());
        }
        var lines = (bon?.Curves.Select(c => ($"{c.Proxy.Name} (bon)", c.Result.Points)) ?? [])
            .Concat(ppo.Select(r => ($"{r.Proxy.Name} (ppo)", r.Result.Curve)))
            .ToList();
        CurvePlots.GoldAgainstProxy(Path.Combine(output, "gold-vs-proxy.png"), "Gold against proxy score: best-of-n and PPO", lines);
    }
}

/// <summary>What best-of-n left for the report: the samples, their gold scores and every proxy's curve.</summary>
internal sealed record BestOfNOutcome(IReadOnlyList<Sampling.PolicySample> Samples, float[] GoldScores, IReadOnlyList<ProxyCurve> Curves);

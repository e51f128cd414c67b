using System.Diagnostics;
using Microsoft.ML;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Reporting;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Pipelines;

/// <summary>
/// The reward side of a pipeline after pretraining: gold, comparisons and proxies, then best-of-n and PPO (every
/// configuration on every seed) against them, then curves.csv, fits.csv, the figures and report.md.
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

    public PipelineResult Run(TextCorpus corpus, Policy policy, PromptSplit prompts, string output, PipelineResult result, Stopwatch clock)
    {
        var stage = new RewardModelStage(_ml, _pipeline, _run, _cache);
        var models = new List<RewardModel>();
        try
        {
            var stageClock = Stopwatch.StartNew();
            var gold = stage.Gold(policy, corpus);
            models.Add(gold);
            var (train, validation, trainCount, rows) = stage.Comparisons(policy, gold, prompts, output);
            foreach (var spec in _pipeline.Proxies)
            {
                models.Add(stage.Proxy(spec, policy, gold, train, validation));
            }
            var timings = new Dictionary<string, double> { ["reward models"] = stageClock.Elapsed.TotalSeconds };
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
                return result with { StageSeconds = timings };
            }
            // The world's truth, standardized on the comparisons' pi_init responses as gold is on pi_init's samples.
            var rule = RuleRewardScorer.Standardized(new GoldPreference(policy.Tokenizer, corpus),
                rows.SelectMany(r => new[] { r.PromptTokens, r.PromptTokens }).ToArray(), rows.SelectMany(r => new[] { r.ChosenTokens, r.RejectedTokens }).ToArray());
            string policyName = _pipeline.Policies[0].Name;

            BestOfNOutcome? bon = null;
            if (_pipeline.BestOfN.Prompts > 0)
            {
                stageClock.Restart();
                var (samples, goldScores, curves) = new BestOfNStage(_ml, _pipeline, _run).Run(policy, policyName, gold, rule, proxies.Select(m => (m, trainCount)).ToList(), prompts);
                bon = new BestOfNOutcome(samples, goldScores, curves);
                timings["best-of-n"] = stageClock.Elapsed.TotalSeconds;
            }
            stageClock.Restart();
            var ppo = RunPpo(policy, policyName, proxies, gold, rule, trainCount, prompts, output);
            if (ppo.Count > 0)
            {
                timings["ppo"] = stageClock.Elapsed.TotalSeconds;
            }

            WriteTables(output, bon, ppo);
            RunFigures.Write(output, bon, ppo);
            result = result with
            {
                BestOfN = bon?.Curves.Select(c => new BestOfNSummary(c.Proxy.Name, c.Proxy.Info.Parameters, c.Result.Fit, c.Verdict, c.Result.Points[c.Verdict.PeakIndex].N)).ToList() ?? [],
                Ppo = ppo.Select(PpoSummary.Of).ToList(),
                RlFindings = RlFindings.Assess(bon, ppo),
                StageSeconds = timings,
                WallSeconds = clock.Elapsed.TotalSeconds,
            };
            ReportWriter.Write(Path.Combine(output, "report.md"), _pipeline, result, gold, rule, bon, ppo, policy.Tokenizer, corpus);
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

    private List<PpoConfiguration> RunPpo(Policy policy, string policyName, IReadOnlyList<RewardModel> proxies, RewardModel gold, IRewardScorer rule,
        int comparisons, PromptSplit prompts, string output)
    {
        var configurations = new List<PpoConfiguration>();
        foreach (var beta in _pipeline.Ppo.KlCoefficients)
        {
            foreach (var name in _pipeline.Ppo.Proxies)
            {
                var proxy = proxies.Single(p => p.Name == name);
                var seeds = new List<PpoSeedRun>();
                foreach (int seed in _pipeline.Ppo.Seeds)
                {
                    var watch = Stopwatch.StartNew();
                    var (run, finalSamples) = new PpoStage(_ml, _pipeline, _run).Run(policy, policyName, proxy, gold, rule, comparisons, prompts, beta, seed, output);
                    run.Policy.Dispose();
                    seeds.Add(new PpoSeedRun(seed, run, watch.Elapsed.TotalSeconds, finalSamples));
                }
                configurations.Add(PpoConfiguration.Of(proxy, beta, seeds));
            }
        }
        return PpoConfiguration.WithSharedAlpha(configurations).ToList();
    }

    private static void WriteTables(string output, BestOfNOutcome? bon, IReadOnlyList<PpoConfiguration> ppo)
    {
        var points = (bon?.Curves.SelectMany(c => c.Result.Points) ?? [])
            .Concat(ppo.SelectMany(c => c.Seeds.SelectMany(s => s.Result.Curve).Concat(c.MeanCurve)));
        CurveTables.WriteCurves(Path.Combine(output, "curves.csv"), points);
        var fits = new List<(string, CurvePoint, GoldCurveFit?, bool)>();
        fits.AddRange(bon?.Curves.Select(c => ("bon", c.Result.Points[0], (GoldCurveFit?)c.Result.Fit, false)) ?? []);
        foreach (var c in ppo)
        {
            fits.AddRange(c.Seeds.Select(s => ("ppo", s.Result.Curve[0], s.Result.Fit, false)));
            fits.Add(("ppo", c.MeanCurve[0], c.MeanFit, false));
            fits.Add(("ppo", c.MeanCurve[0], c.SharedAlphaFit, true));
        }
        CurveTables.WriteFits(Path.Combine(output, "fits.csv"), fits);
    }
}

/// <summary>What best-of-n left for the report: the samples, their gold scores and every proxy's curve.</summary>
internal sealed record BestOfNOutcome(IReadOnlyList<Sampling.PolicySample> Samples, float[] GoldScores, IReadOnlyList<ProxyCurve> Curves);

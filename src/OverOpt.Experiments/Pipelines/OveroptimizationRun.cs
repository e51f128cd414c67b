using System.Diagnostics;
using Microsoft.ML;
using OverOpt.Experiments.Analysis;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Reporting;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// The reward side of a pipeline after pretraining: gold (on pi_init's samples), then for each optimized policy the
/// comparisons of its samples labelled by gold, proxies trained on them, best-of-n and PPO (every configuration on
/// every seed) against them; then curves.csv, fits.csv, the figures and report.md.
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

    public PipelineResult Run(TextCorpus corpus, IReadOnlyList<Policy> policies, PromptSplit prompts, string output, PipelineResult result, Stopwatch clock)
    {
        var stage = new RewardModelStage(_ml, _pipeline, _run, _cache);
        var models = new List<RewardModel>();
        // Ensemble members that are not proxies of their own: freed after the ensembles that read them.
        var members = new List<RewardModel>();
        var summaries = new List<RewardModelResult>();
        var timings = new Dictionary<string, double>();
        var outcomes = new List<PolicyOutcome>();
        try
        {
            var piInit = policies[0];
            var stageClock = Stopwatch.StartNew();
            var worldRule = _pipeline.Rule(piInit.Tokenizer, corpus);
            // A rule gold is also the rule column, so gold_score and rule_score agree on every curve.
            RuleRewardScorer? rule = _pipeline.Gold!.IsRule ? stage.RuleGold(piInit, worldRule, prompts) : null;
            var goldNetwork = rule is null ? stage.Gold(piInit, corpus, worldRule) : null;
            IRewardScorer gold = (IRewardScorer?)goldNetwork ?? rule!;
            if (goldNetwork is not null)
            {
                models.Add(goldNetwork);
                summaries.Add(Summary(_pipeline.Policies[0].Name, goldNetwork));
            }
            timings["gold"] = stageClock.Elapsed.TotalSeconds;
            bool several = _pipeline.PoliciesToOptimize.Count > 1;
            foreach (string name in _pipeline.PoliciesToOptimize)
            {
                var policy = policies[_pipeline.Policies.FindIndex(p => p.Name == name)];
                stageClock.Restart();
                var (train, validation, rows, trainingPairs) = stage.Comparisons(policy, gold, prompts, Path.Combine(output, several ? $"comparisons-{name}.csv" : OutputFiles.Comparisons));
                // The world's truth beside a gold network, standardized once, on the first optimized policy's comparison
                // responses (pi_init's in every pipeline that optimizes it), as gold is standardized on pi_init's samples.
                rule ??= RuleRewardScorer.Standardized(worldRule,
                    rows.SelectMany(r => new[] { r.PromptTokens, r.PromptTokens }).ToArray(), rows.SelectMany(r => new[] { r.ChosenTokens, r.RejectedTokens }).ToArray());
                Add(timings, "comparisons", stageClock.Elapsed.TotalSeconds);
                if (_pipeline.Proxies.Count == 0 && _pipeline.DirectAlignment is null && _pipeline.IteratedRlhf is null)
                {
                    continue;
                }
                stageClock.Restart();
                var optimized = new OptimizationGraph(_ml, _pipeline, _run, _cache).Run(policy, name, gold, rule, corpus, train, validation, prompts, output, members);
                models.AddRange(optimized.Proxies);
                summaries.AddRange(optimized.Proxies.Select(m => Summary(name, m)));
                if (_pipeline.Proxies.Count > 0)
                {
                    Add(timings, "proxies, best-of-n and ppo", stageClock.Elapsed.TotalSeconds);
                }
                IReadOnlyList<DirectAlignmentConfiguration> directAlignment = [];
                if (_pipeline.DirectAlignment is not null)
                {
                    stageClock.Restart();
                    directAlignment = new DirectAlignmentStage(_pipeline, _run).Run(policy, name, gold, rule, train, trainingPairs, prompts, output);
                    Add(timings, "direct alignment", stageClock.Elapsed.TotalSeconds);
                }
                IReadOnlyList<IteratedRlhfRun> iterated = [];
                if (_pipeline.IteratedRlhf is not null)
                {
                    stageClock.Restart();
                    iterated = new IteratedRlhfStage(_ml, _pipeline, _run, _cache).Run(policy, name, gold, rule, corpus, prompts, output);
                    Add(timings, "iterated RLHF", stageClock.Elapsed.TotalSeconds);
                }
                outcomes.Add(new PolicyOutcome(name, policy.Description.Parameters, optimized.BestOfN, optimized.Ppo) { DirectAlignment = directAlignment, IteratedRlhf = iterated });
            }
            RewardModelStage.WriteSummary(summaries, Path.Combine(output, OutputFiles.RewardModels));
            // After pretraining's, so that report.md lists every stage.
            result = result with { RewardModels = summaries, StageSeconds = result.StageSeconds.Concat(timings).ToDictionary() };
            if (outcomes.Count == 0)
            {
                return result;
            }

            WriteTables(output, outcomes);
            RunFigures.Write(output, outcomes);
            result = result with
            {
                BestOfN = outcomes.SelectMany(o => o.BestOfN?.Curves.Select(c => new BestOfNSummary(o.Policy, c.Proxy.Name, c.Proxy.Info.Parameters, c.Result.Fit, c.Verdict, c.Result.Points[c.Verdict.PeakIndex].N)) ?? []).ToList(),
                Ppo = outcomes.SelectMany(o => o.Ppo).Select(PpoSummary.Of).ToList(),
                RlFindings = RlFindings.Assess(outcomes),
                WallSeconds = clock.Elapsed.TotalSeconds,
            };
            ReportWriter.Write(Path.Combine(output, OutputFiles.Report), _pipeline, result, goldNetwork, worldRule, outcomes, piInit.Tokenizer);
            return result;
        }
        finally
        {
            foreach (var model in models.Concat(members))
            {
                model.Dispose();
            }
        }
    }

    private RewardModelResult Summary(string policy, RewardModel m)
    {
        bool fromCache = _reused.Contains(_cache.PathFor(m.Name == "gold" ? "gold" : "proxies", m.Info.Provenance));
        return new RewardModelResult(policy, m.Name, m.Info.Kind, m.Info.Parameters, m.Info.TrainingComparisons, m.Info.ValidationLoss, m.Info.ValidationAccuracy, fromCache, m.Info.Metrics)
        {
            ProxySeed = _pipeline.ProxySeedOf(m.Name),
        };
    }

    private static void Add(Dictionary<string, double> timings, string stage, double seconds) => timings[stage] = timings.GetValueOrDefault(stage) + seconds;

    private void WriteTables(string output, IReadOnlyList<PolicyOutcome> outcomes)
    {
        var points = outcomes.SelectMany(o => (o.BestOfN?.Curves.SelectMany(c => c.Result.Points) ?? [])
            .Concat(o.Ppo.SelectMany(c => c.Seeds.SelectMany(s => s.Result.Curve).Concat(c.MeanCurve)))
            .Concat(o.DirectAlignment.SelectMany(c => c.Seeds.SelectMany(s => s.Curve).Concat(c.MeanCurve))));
        CurveTables.WriteCurves(Path.Combine(output, OutputFiles.Curves), points);
        var fits = new List<FitRow>();
        fits.AddRange(outcomes.SelectMany(o => o.BestOfN?.Curves.Select(c => new FitRow(c.Result.Points[0].Key, c.Result.Fit)) ?? []));
        foreach (var c in outcomes.SelectMany(o => o.Ppo))
        {
            fits.AddRange(c.Seeds.Select(s => new FitRow(s.Result.Curve[0].Key, s.Result.Fit)));
            fits.Add(new FitRow(c.MeanCurve[0].Key, c.MeanFit));
            fits.Add(new FitRow(c.MeanCurve[0].Key, c.SharedAlphaFit, AlphaShared: true));
        }
        foreach (var c in outcomes.SelectMany(o => o.DirectAlignment))
        {
            fits.AddRange(c.Seeds.Select(s => new FitRow(s.Curve[0].Key, s.Fit)));
            fits.Add(new FitRow(c.MeanCurve[0].Key, c.MeanFit));
        }
        CurveTables.WriteFits(Path.Combine(output, OutputFiles.Fits), fits);
    }
}


using System.Diagnostics;
using Microsoft.ML;
using OverOpt.Experiments.Analysis;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Reporting;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.Trainers;

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
                var (train, validation, rows) = stage.Comparisons(policy, gold, prompts, Path.Combine(output, several ? $"comparisons-{name}.csv" : OutputFiles.Comparisons));
                // The world's truth beside a gold network, standardized once, on the first optimized policy's comparison
                // responses (pi_init's in every pipeline that optimizes it), as gold is standardized on pi_init's samples.
                rule ??= RuleRewardScorer.Standardized(worldRule,
                    rows.SelectMany(r => new[] { r.PromptTokens, r.PromptTokens }).ToArray(), rows.SelectMany(r => new[] { r.ChosenTokens, r.RejectedTokens }).ToArray());
                var bonStage = new BestOfNStage(_ml, _pipeline, _run, _cache);
                var (proxies, bonSamples) = ProxiesAndBestOfNSamples(policy, gold, corpus, train, validation,
                    _pipeline.BestOfN.Prompts > 0 && _pipeline.Proxies.Count > 0 ? () => bonStage.Samples(policy, gold, prompts) : null, members);
                models.AddRange(proxies);
                summaries.AddRange(proxies.Select(m => Summary(name, m)));
                Add(timings, "comparisons, proxies and best-of-n samples", stageClock.Elapsed.TotalSeconds);
                if (proxies.Count == 0 && _pipeline.DirectAlignment is null && _pipeline.IteratedRlhf is null)
                {
                    continue;
                }
                BestOfNOutcome? bon = null;
                if (bonSamples is not null)
                {
                    stageClock.Restart();
                    var curves = bonStage.Curves(bonSamples, name, rule, proxies);
                    bon = new BestOfNOutcome(bonSamples.Samples, bonSamples.Gold, curves);
                    Add(timings, "best-of-n curves", stageClock.Elapsed.TotalSeconds);
                }
                stageClock.Restart();
                var ppo = RunPpo(policy, name, proxies, gold, rule, prompts, output);
                if (ppo.Count > 0)
                {
                    Add(timings, "ppo", stageClock.Elapsed.TotalSeconds);
                }
                IReadOnlyList<DirectAlignmentConfiguration> directAlignment = [];
                if (_pipeline.DirectAlignment is not null)
                {
                    stageClock.Restart();
                    int pairs = rows.Count - RewardModelStage.HeldOut(rows.Count, _pipeline.Comparisons.ValidationFraction);
                    directAlignment = new DirectAlignmentStage(_pipeline, _run).Run(policy, name, gold, rule, train, pairs, prompts, output);
                    Add(timings, "direct alignment", stageClock.Elapsed.TotalSeconds);
                }
                IReadOnlyList<IteratedRlhfRun> iterated = [];
                if (_pipeline.IteratedRlhf is not null)
                {
                    stageClock.Restart();
                    iterated = new IteratedRlhfStage(_ml, _pipeline, _run, _cache).Run(policy, name, gold, rule, corpus, prompts, output);
                    Add(timings, "iterated RLHF", stageClock.Elapsed.TotalSeconds);
                }
                outcomes.Add(new PolicyOutcome(name, policy.Description.Parameters, bon, ppo) { DirectAlignment = directAlignment, IteratedRlhf = iterated });
            }
            RewardModelStage.WriteSummary(summaries, Path.Combine(output, OutputFiles.RewardModels));
            result = result with { RewardModels = summaries, StageSeconds = timings };
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

    /// <summary>
    /// Every proxy, each a job of its own with a context of its own (an MLContext is not meant to be shared across
    /// threads), and best-of-n's samples with gold's scores beside them (they need no proxy); the costliest start first,
    /// so that the last to finish is a short one. The samples come first: drawing and scoring N x prompts responses with
    /// gold costs more than the largest proxy of the default pipeline (about 110 s against 90 s at one thread).
    /// An ensemble's members are jobs too, each (recipe, seed) trained once however many ensembles share it (a member
    /// with the pipeline's proxy seed is the single proxy itself); the ensembles are composed after. Members that are not
    /// proxies themselves go into <paramref name="extraModels"/>, for the caller to dispose after the ensembles.
    /// </summary>
    private (List<RewardModel> Proxies, CachedBestOfNSamples? BestOfNSamples) ProxiesAndBestOfNSamples(Policy policy, IRewardScorer gold, TextCorpus corpus,
        IDataView train, IDataView validation, Func<CachedBestOfNSamples>? bestOfNSamples, List<RewardModel> extraModels)
    {
        var specs = _pipeline.Proxies;
        var proxies = new RewardModel[specs.Count];
        int proxySeed = _pipeline.EffectiveProxySeed;
        var members = specs.Where(s => s.IsEnsemble).SelectMany(e => e.MemberSeeds(proxySeed).Select(seed => (Of: e.Of!, Seed: seed)))
            .Where(m => m.Seed != proxySeed).Distinct().ToList();
        var memberModels = new RewardModel[members.Count];
        long Cost(ProxySpec spec) => spec.Kind switch
        {
            TransformerRewardModel.KindName => (long)spec.Layers * spec.ModelDim * spec.ModelDim,
            FastTreeRewardModel.KindName => (long)spec.Trees * spec.Leaves,
            _ => 0,
        };
        RewardModelStage Stage() => new(new MLContext(_pipeline.Seed), _pipeline, _run, _cache);
        CachedBestOfNSamples? samples = null;
        var jobs = Enumerable.Range(0, specs.Count).Where(i => !specs[i].IsEnsemble)
            .Select(i => (Cost: Cost(specs[i]), Job: (Action)(() => proxies[i] = Stage().Proxy(specs[i], policy, gold, corpus, train, validation))))
            .Concat(members.Select((m, j) =>
            {
                var spec = specs.Single(s => s.Name == m.Of);
                return (Cost: Cost(spec), Job: (Action)(() => memberModels[j] = Stage().Proxy(spec, policy, gold, corpus, train, validation, m.Seed)));
            }))
            .OrderByDescending(j => j.Cost).Select(j => j.Job).ToList();
        if (bestOfNSamples is not null)
        {
            jobs.Insert(0, () => samples = bestOfNSamples());
        }
        try
        {
            TorchJobs.Run(jobs, _pipeline.EffectiveThreadsPerJob, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            extraModels.AddRange(memberModels.Where(m => m is not null));
        }
        for (int i = 0; i < specs.Count; i++)
        {
            if (specs[i].IsEnsemble)
            {
                var spec = specs[i];
                var ensemble = spec.MemberSeeds(proxySeed)
                    .Select(seed => seed == proxySeed ? proxies[specs.FindIndex(s => s.Name == spec.Of)] : memberModels[members.IndexOf((spec.Of!, seed))]).ToList();
                proxies[i] = _ml.RewardModels().Ensemble(ensemble, spec.EnsembleObjective, spec.Name,
                    spec.UncertaintyPenalty ?? EnsembleRewardTrainer.Defaults.UncertaintyPenalty, validation);
            }
        }
        return (proxies.ToList(), samples);
    }

    private List<PpoConfiguration> RunPpo(Policy policy, string policyName, IReadOnlyList<RewardModel> proxies, IRewardScorer gold, IRewardScorer rule,
        PromptSplit prompts, string output)
    {
        var runs = (from beta in _pipeline.Ppo.KlCoefficients
                    from proxyName in _pipeline.PpoProxies
                    from seed in _pipeline.Ppo.Seeds
                    select (Beta: beta, Proxy: proxies.Single(p => p.Name == proxyName), Seed: seed)).ToList();
        var finished = TorchJobs.Run(runs.Select(r => (Func<PpoSeedRun>)(() =>
        {
            var watch = Stopwatch.StartNew();
            // A context of its own: runs may go side by side, and an MLContext is not meant to be shared across threads.
            var (run, finalSamples) = new PpoStage(new MLContext(_pipeline.Seed), _pipeline, _run).Run(policy, policyName, r.Proxy, gold, rule, prompts, r.Beta, r.Seed, output);
            run.Policy.Dispose();
            return new PpoSeedRun(r.Seed, run, watch.Elapsed.TotalSeconds, finalSamples);
        })).ToList(), _pipeline.EffectiveThreadsPerJob, TorchSharp.torch.get_num_threads());
        var configurations = runs.Select((r, i) => (r, Run: finished[i]))
            .GroupBy(x => (x.r.Beta, x.r.Proxy.Name))
            .Select(g => PpoConfiguration.Of(policyName, g.First().r.Proxy, g.Key.Beta, g.Select(x => x.Run).ToList()))
            .ToList();
        return PpoConfiguration.WithSharedAlpha(configurations).ToList();
    }

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


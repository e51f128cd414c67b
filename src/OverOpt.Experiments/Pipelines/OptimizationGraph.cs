using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.ML;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.Trainers;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// What follows one policy's comparisons, as one <see cref="TorchJobGraph"/>: best-of-n's samples (they need no proxy),
/// every proxy and ensemble member trained, each proxy's PPO runs as soon as it is trained, and its best-of-n scores and
/// curve as soon as it and the samples are there. Stages with barriers between them left a core idle while the largest
/// proxy trained alone, and again while its PPO runs finished; here the smaller proxies' PPO and curves fill that time.
/// Every job keeps its own seed, context and thread count, so the numbers are those of the stages one after another.
/// </summary>
internal sealed class OptimizationGraph
{
    private readonly MLContext _ml;
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;
    private readonly ArtifactCache _cache;

    public OptimizationGraph(MLContext mlContext, PipelineDefinition pipeline, PipelineRunOptions run, ArtifactCache cache)
    {
        _ml = mlContext;
        _pipeline = pipeline;
        _run = run;
        _cache = cache;
    }

    /// <summary>The proxies (in the pipeline's order), best-of-n's samples and curves (null without best-of-n), and the PPO configurations.</summary>
    public sealed record Outcome(IReadOnlyList<RewardModel> Proxies, BestOfNOutcome? BestOfN, IReadOnlyList<PpoConfiguration> Ppo);

    /// <summary>
    /// Runs the graph. Ensemble members that are not proxies themselves go into <paramref name="extraModels"/>, for the
    /// caller to dispose after the ensembles (also when a job fails: the first failure is rethrown once every job that
    /// does not depend on it has run).
    /// </summary>
    public Outcome Run(Policy policy, string policyName, IRewardScorer gold, IRewardScorer rule, TextCorpus corpus, IDataView train, IDataView validation,
        PromptSplit prompts, string output, List<RewardModel> extraModels)
    {
        var specs = _pipeline.Proxies;
        int proxySeed = _pipeline.EffectiveProxySeed;
        var graph = new TorchJobGraph();
        var bonStage = new BestOfNStage(_pipeline, _run, _cache);
        bool bestOfN = _pipeline.BestOfN.Prompts > 0 && specs.Count > 0;
        CachedBestOfNSamples? samples = null;
        // First: drawing and scoring N x prompts responses with gold costs about what the largest proxy of the default
        // pipeline costs, and the curves wait for it.
        int samplesJob = bestOfN ? graph.Add("best-of-n samples", () => samples = bonStage.Samples(policy, gold, prompts)) : -1;

        // Every proxy and ensemble member (each recipe and seed once, however many ensembles share it; the member with
        // the pipeline's proxy seed is the proxy itself), each with a context of its own (an MLContext is not meant to be
        // shared across threads), the costliest first.
        var proxies = new RewardModel[specs.Count];
        var members = specs.Where(s => s.IsEnsemble).SelectMany(e => e.MemberSeeds(proxySeed).Select(seed => (Of: e.Of!, Seed: seed)))
            .Where(m => m.Seed != proxySeed).Distinct().ToList();
        var memberModels = new RewardModel[members.Count];
        RewardModelStage Stage() => new(new MLContext(_pipeline.Seed), _pipeline, _run, _cache);
        var trainings = Enumerable.Range(0, specs.Count).Where(i => !specs[i].IsEnsemble)
            .Select(i => (Spec: specs[i], Proxy: i, Label: specs[i].Name, Train: (Func<RewardModel>)(() => proxies[i] = Stage().Proxy(specs[i], policy, gold, corpus, train, validation))))
            .Concat(members.Select((m, j) =>
            {
                var spec = specs.Single(s => s.Name == m.Of);
                return (Spec: spec, Proxy: -1, Label: $"{spec.Name} seed {m.Seed}", Train: (Func<RewardModel>)(() => memberModels[j] = Stage().Proxy(spec, policy, gold, corpus, train, validation, m.Seed)));
            }))
            .OrderByDescending(t => Cost(t.Spec)).ToList();
        var trainedModels = new RewardModel[trainings.Count];
        var trainingJobs = trainings.Select((t, k) => graph.Add($"train {t.Label}", () => trainedModels[k] = t.Train())).ToList();
        // Which training made each proxy (-1 for an ensemble).
        var trainingOf = Enumerable.Range(0, specs.Count).Select(i => trainings.FindIndex(t => t.Proxy == i)).ToArray();
        // Ensembles are composed on the pipeline's context in the pipeline's order, after every member, as one job.
        int ensemblesJob = specs.Any(s => s.IsEnsemble)
            ? graph.Add("compose ensembles", () => ComposeEnsembles(proxies, memberModels, members, validation), trainingJobs)
            : -1;
        int ReadyJob(int proxy) => specs[proxy].IsEnsemble ? ensemblesJob : trainingJobs[trainingOf[proxy]];

        // PPO: every (coefficient, proxy, seed), in that order in the results; the costliest proxy's runs first.
        var runs = (from beta in _pipeline.Ppo.KlCoefficients
                    from proxyName in _pipeline.PpoProxies
                    from seed in _pipeline.Ppo.Seeds
                    select (Beta: beta, Proxy: specs.FindIndex(s => s.Name == proxyName), Seed: seed)).ToList();
        var finished = new PpoSeedRun[runs.Count];
        foreach (int r in Enumerable.Range(0, runs.Count).OrderByDescending(r => Cost(specs[runs[r].Proxy])))
        {
            var (beta, proxy, seed) = runs[r];
            graph.Add(PpoStage.RunName(policyName, specs[proxy].Name, beta, seed), () => finished[r] = Ppo(policy, policyName, proxies[proxy], gold, rule, prompts, beta, seed, output), ReadyJob(proxy));
        }

        // Best-of-n: the rule's scores, every trained model's scores once (an ensemble's are its objective over its
        // members'), then each proxy's curve.
        var curves = new ProxyCurve[specs.Count];
        if (bestOfN)
        {
            float[]? ruleScores = null;
            int ruleJob = graph.Add("best-of-n rule scores", () =>
            {
                _run.Log($"scoring {samples!.Samples.Count} samples with the rule and {specs.Count} proxies");
                ruleScores = bonStage.Scores(samples!, rule);
            }, samplesJob);
            // Reward models are compared by reference: one model object, one scoring.
            var scores = new ConcurrentDictionary<RewardModel, float[]>(ReferenceEqualityComparer.Instance);
            var scoringJobs = trainingJobs.Select((job, k) => graph.Add($"best-of-n scores {trainings[k].Label}", () => scores[trainedModels[k]] = bonStage.Scores(samples!, trainedModels[k]), samplesJob, job)).ToList();
            float[] ScoresOf(RewardModel proxy) => proxy is EnsembleRewardModel e ? e.Combine(e.Members.Select(ScoresOf).ToArray()) : scores[proxy];
            int curvesDone = 0;
            for (int i = 0; i < specs.Count; i++)
            {
                int proxy = i;
                var waitFor = specs[proxy].IsEnsemble ? scoringJobs.Append(ensemblesJob) : [scoringJobs[trainingOf[proxy]]];
                graph.Add($"best-of-n curve {specs[proxy].Name}", () =>
                {
                    curves[proxy] = bonStage.Curve(proxies[proxy], ScoresOf(proxies[proxy]), samples!, ruleScores!, policyName);
                    _run.Progress?.Report(new ProgressUpdate("best-of-n curves", Interlocked.Increment(ref curvesDone), specs.Count, specs[proxy].Name));
                }, waitFor.Append(ruleJob));
            }
        }

        try
        {
            graph.Run(_pipeline.EffectiveThreadsPerJob, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            extraModels.AddRange(memberModels.Where(m => m is not null));
            if (graph.Count > 0)
            {
                WriteTimeline(graph, Path.Combine(output, _pipeline.PoliciesToOptimize.Count > 1 ? $"jobs-{policyName}.csv" : OutputFiles.Jobs));
            }
        }
        var configurations = runs.Select((r, i) => (r, Run: finished[i]))
            .GroupBy(x => (x.r.Beta, x.r.Proxy))
            .Select(g => PpoConfiguration.Of(policyName, proxies[g.Key.Proxy], g.Key.Beta, g.Select(x => x.Run).ToList()))
            .ToList();
        return new Outcome(proxies, bestOfN ? new BestOfNOutcome(samples!.Samples, samples.Gold, curves) : null,
            PpoConfiguration.WithSharedAlpha(configurations).ToList());
    }

    /// <summary>jobs.csv: when each job ran on which worker (a job skipped after a failure has no row).</summary>
    private static void WriteTimeline(TorchJobGraph graph, string path)
    {
        var table = new CsvTable("job", "worker", "started_s", "finished_s", "seconds");
        foreach (var t in graph.Timings)
        {
            if (t is null)
            {
                continue;
            }
            table.Add(t.Name, t.Worker, Math.Round(t.Started, 2), Math.Round(t.Finished, 2), Math.Round(t.Finished - t.Started, 2));
        }
        table.Save(path);
    }

    private static long Cost(ProxySpec spec) => spec.Kind switch
    {
        TransformerRewardModel.KindName => (long)spec.Layers * spec.ModelDim * spec.ModelDim,
        FastTreeRewardModel.KindName => (long)spec.Trees * spec.Leaves,
        _ => 0,
    };

    private void ComposeEnsembles(RewardModel[] proxies, RewardModel[] memberModels, List<(string Of, int Seed)> members, IDataView validation)
    {
        var specs = _pipeline.Proxies;
        int proxySeed = _pipeline.EffectiveProxySeed;
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
    }

    private PpoSeedRun Ppo(Policy policy, string policyName, RewardModel proxy, IRewardScorer gold, IRewardScorer rule, PromptSplit prompts, double beta, int seed, string output)
    {
        var watch = Stopwatch.StartNew();
        // A context of its own: runs go side by side, and an MLContext is not meant to be shared across threads.
        var (run, finalSamples) = new PpoStage(new MLContext(_pipeline.Seed), _pipeline, _run).Run(policy, policyName, proxy, gold, rule, prompts, beta, seed, output);
        run.Policy.Dispose();
        return new PpoSeedRun(seed, run, watch.Elapsed.TotalSeconds, finalSamples);
    }
}

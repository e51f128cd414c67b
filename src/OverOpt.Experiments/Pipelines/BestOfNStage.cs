using Microsoft.ML;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// Best-of-n in a pipeline: N samples of pi_init per held-out prompt, scored once by gold, the rule and every proxy,
/// each proxy's scores turned into its curve by <see cref="BestOfNEvaluator"/> (gold's and the rule's).
/// </summary>
internal sealed class BestOfNStage
{
    private readonly MLContext _ml;
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;
    private readonly ArtifactCache _cache;

    public BestOfNStage(MLContext mlContext, PipelineDefinition pipeline, PipelineRunOptions run, ArtifactCache cache)
    {
        _ml = mlContext;
        _pipeline = pipeline;
        _run = run;
        _cache = cache;
    }

    /// <summary>
    /// N samples of pi_init per held-out prompt with gold's scores. They depend on none of the proxies (cached: tasks that
    /// differ in proxies, their seed or the comparisons draw and score them once), so a pipeline draws them beside the
    /// proxies' training.
    /// </summary>
    public CachedBestOfNSamples Samples(Policy policy, IRewardScorer gold, PromptSplit prompts)
    {
        // PipelineRunner has checked that there are enough held-out prompts, before anything was trained.
        var spec = _pipeline.BestOfN;
        var chosen = prompts.HeldOut.Take(spec.Prompts).ToArray();
        var sampling = _pipeline.Sampling.ToBulkOptions();
        string key = RewardModelStage.Key(new
        {
            artifact = "bon-samples", policy = policy.Description.Provenance, gold = gold.Provenance, prompts = RewardModelStage.PromptsKey(chosen),
            samplesPerPrompt = spec.SamplesPerPrompt, sampling.ResponseLength, sampling.Temperature, sampling.BatchSize, generatorSeed = (int)SeedStreams.BestOfNSamples(_pipeline.Seed),
            // The libtorch threads they are drawn and scored at change the rounding of both.
            threads = get_num_threads(),
        });
        return _cache.GetOrBuild(
            "bon-samples", key, CachedBestOfNSamples.Load, c => c.Key,
            () =>
            {
                using var generator = new Generator(SeedStreams.BestOfNSamples(_pipeline.Seed), policy.Device);
                var drawn = PolicySampler.SampleAll(policy.Model, policy.Model, chosen, spec.SamplesPerPrompt, sampling,
                    generator, RelabelledProgress.Wrap(_run.Progress, _ => "best-of-n samples"));
                _run.Log($"scoring {drawn.Count} best-of-n samples with gold");
                return new CachedBestOfNSamples(key, drawn, gold.Score(drawn.Select(s => s.Prompt).ToArray(), drawn.Select(s => s.Response).ToArray()));
            },
            (c, path) => c.Save(path));
    }

    /// <summary>Every proxy's best-of-n curve (with gold's and the rule's scores) on <paramref name="cached"/>'s samples.</summary>
    public IReadOnlyList<ProxyCurve> Curves(CachedBestOfNSamples cached, string policyName, IRewardScorer rule, IReadOnlyList<RewardModel> proxies)
    {
        var spec = _pipeline.BestOfN;
        var samples = cached.Samples;
        var promptTokens = samples.Select(s => s.Prompt).ToArray();
        var responses = samples.Select(s => s.Response).ToArray();
        _run.Log($"scoring {samples.Count} samples with the rule and {proxies.Count} proxies");
        var goldScores = cached.Gold;
        var ruleScores = rule.Score(promptTokens, responses);
        var goldByPrompt = ByPrompt(goldScores, spec.SamplesPerPrompt);
        var ruleByPrompt = ByPrompt(ruleScores, spec.SamplesPerPrompt);
        // Every model that scores is scored once, a job of its own (see PipelineDefinition.ThreadsPerJob): an ensemble's
        // members in its place, however many ensembles share them (or are proxies themselves); an ensemble's scores are
        // then its objective over theirs, which is what its Score computes.
        // (Reward models are compared by reference: one model object, one scoring.)
        var scorers = proxies.SelectMany(Scorers).Distinct().ToList();
        var scored = TorchJobs.Run(scorers.Select(m => (Func<float[]>)(() => m.Score(promptTokens, responses))).ToList(), _pipeline.EffectiveThreadsPerJob, get_num_threads());
        var scores = scorers.Zip(scored).ToDictionary(x => x.First, x => x.Second);
        float[] ScoresOf(RewardModel proxy) => proxy is EnsembleRewardModel e ? e.Combine(e.Members.Select(ScoresOf).ToArray()) : scores[proxy];
        int finished = 0;
        return TorchJobs.Run(proxies.Select(p => (Func<ProxyCurve>)(() =>
        {
            var curve = Curve(p, ScoresOf(p), policyName, goldByPrompt, ruleByPrompt);
            _run.Progress?.Report(new ProgressUpdate("best-of-n curves", Interlocked.Increment(ref finished), proxies.Count, p.Name));
            return curve;
        })).ToList(), _pipeline.EffectiveThreadsPerJob, get_num_threads());
    }

    /// <summary>The models whose scores make up <paramref name="proxy"/>'s: itself, or an ensemble's members.</summary>
    private static IEnumerable<RewardModel> Scorers(RewardModel proxy) => proxy is EnsembleRewardModel e ? e.Members.SelectMany(Scorers) : [proxy];

    private ProxyCurve Curve(RewardModel proxy, float[] proxyScores, string policyName, float[][] goldByPrompt, float[][] ruleByPrompt)
    {
        var spec = _pipeline.BestOfN;
        var proxyByPrompt = ByPrompt(proxyScores, spec.SamplesPerPrompt);
        var options = new BestOfNOptions
        {
            MaxN = spec.MaxN,
            Points = spec.Points,
            BootstrapResamples = spec.BootstrapResamples,
            Seed = _pipeline.Seed,
            Proxy = proxy.Name,
        };
        var result = BestOfNEvaluator.Evaluate(proxyByPrompt, goldByPrompt, options, ruleByPrompt);
        new CurveLabels(policyName, proxy.Info, _pipeline.ProxySeedOf(proxy.Name)).Stamp(result.Points);
        return new ProxyCurve(proxy, result, OveroptimizationVerdict.Assess(result.Points), proxyScores);
    }

    private static float[][] ByPrompt(float[] scores, int perPrompt)
        => Enumerable.Range(0, scores.Length / perPrompt).Select(p => scores.AsSpan(p * perPrompt, perPrompt).ToArray()).ToArray();
}

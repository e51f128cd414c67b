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
using static TorchSharp.torch;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// Best-of-n in a pipeline: N samples of pi_init per held-out prompt, scored once by gold, the rule and every proxy,
/// each proxy's scores turned into its curve by <see cref="BestOfNEvaluator"/> (gold's and the rule's).
/// </summary>
internal sealed class BestOfNStage
{
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;
    private readonly ArtifactCache _cache;

    public BestOfNStage(PipelineDefinition pipeline, PipelineRunOptions run, ArtifactCache cache)
    {
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
                return new CachedBestOfNSamples(key, drawn, Reporting(gold, drawn.Select(s => s.Prompt).ToArray(), drawn.Select(s => s.Response).ToArray()));
            },
            (c, path) => c.Save(path));
    }

    /// <summary>
    /// <paramref name="scorer"/>'s scores of <paramref name="cached"/>'s samples. A proxy that reads its language model's
    /// likelihood takes it from the cache, where a proxy with the same frozen language model (another seed, another
    /// comparison count) put it.
    /// </summary>
    public float[] Scores(CachedBestOfNSamples cached, IRewardScorer scorer)
    {
        var prompts = cached.Samples.Select(s => s.Prompt).ToArray();
        var responses = cached.Samples.Select(s => s.Response).ToArray();
        // The cache holds one likelihood a sample, all a likelihood readout reads; a readout of more computes its own.
        if (scorer is not TransformerRewardModel { LanguageModelFingerprint: { } languageModel, Network.Readout: RewardReadout.MeanPoolAndLikelihood } proxy)
        {
            return Reporting(scorer, prompts, responses);
        }
        string key = RewardModelStage.Key(new
        {
            artifact = "bon-likelihoods", samples = cached.Key, languageModel,
            // The thread count and device change the rounding, as they do the samples' own scores.
            threads = get_num_threads(), device = proxy.Network.parameters().First().device.ToString(),
        });
        // Hundreds of thousands of samples at a pipeline's size: tens of minutes a proxy.
        var progress = BestOfNProgress;
        var likelihoods = _cache.GetOrBuild(
            "bon-likelihoods", key, CachedLanguageModelLikelihoods.Load, c => c.Key,
            () => new CachedLanguageModelLikelihoods(key, proxy.LanguageModelLikelihoods(prompts, responses, progress)),
            (c, path) => c.Save(path));
        return proxy.Score(prompts, responses, likelihoods.Values, progress);
    }

    private IProgress<ProgressUpdate>? BestOfNProgress => RelabelledProgress.Wrap(_run.Progress, stage => $"best-of-n {stage}");

    // A network scores the samples in batches it can report (minutes for a network gold); other scorers take seconds.
    private float[] Reporting(IRewardScorer scorer, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
        => scorer is TransformerRewardModel network ? network.Score(prompts, responses, BestOfNProgress) : scorer.Score(prompts, responses);

    /// <summary><paramref name="proxy"/>'s best-of-n curve from its scores of <paramref name="cached"/>'s samples, with gold's and the rule's.</summary>
    public ProxyCurve Curve(RewardModel proxy, float[] proxyScores, CachedBestOfNSamples cached, float[] ruleScores, string policyName)
    {
        var spec = _pipeline.BestOfN;
        var options = new BestOfNOptions
        {
            MaxN = spec.MaxN,
            Points = spec.Points,
            BootstrapResamples = spec.BootstrapResamples,
            Seed = _pipeline.Seed,
            Proxy = proxy.Name,
        };
        var result = BestOfNEvaluator.Evaluate(ByPrompt(proxyScores, spec.SamplesPerPrompt), ByPrompt(cached.Gold, spec.SamplesPerPrompt), options,
            ByPrompt(ruleScores, spec.SamplesPerPrompt));
        new CurveLabels(policyName, proxy.Info, _pipeline.ProxySeedOf(proxy.Name)).Stamp(result.Points);
        return new ProxyCurve(proxy, result, OveroptimizationVerdict.Assess(result.Points), proxyScores);
    }

    private static float[][] ByPrompt(float[] scores, int perPrompt)
        => Enumerable.Range(0, scores.Length / perPrompt).Select(p => scores.AsSpan(p * perPrompt, perPrompt).ToArray()).ToArray();
}

using System.Globalization;
using Microsoft.ML;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Ppo;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// One PPO run of a pipeline: pi_init against one proxy at one KL coefficient on one seed, gold and the rule measured at
/// every evaluation on held-out prompts; checkpoints under the output folder (a rerun of the same command resumes), the
/// trained policy and per-step diagnostics beside them.
/// </summary>
internal sealed class PpoStage
{
    private readonly MLContext _ml;
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;

    public PpoStage(MLContext mlContext, PipelineDefinition pipeline, PipelineRunOptions run)
    {
        _ml = mlContext;
        _pipeline = pipeline;
        _run = run;
    }

    /// <summary>The run's file stem: ppo-&lt;policy&gt;-&lt;proxy&gt;[-kl&lt;beta&gt;]-s&lt;seed&gt; (the coefficient only where it is not 0).</summary>
    public static string RunName(string policy, string proxy, double klCoefficient, int seed)
        => klCoefficient == 0 ? $"ppo-{policy}-{proxy}-s{seed}" : $"ppo-{policy}-{proxy}-kl{klCoefficient.ToString("R", CultureInfo.InvariantCulture)}-s{seed}";

    public (PpoPolicyTransformer Result, IReadOnlyList<ScoredResponse> FinalSamples) Run(Policy policy, string policyName, RewardModel proxy, IRewardScorer gold, IRewardScorer rule, PromptSplit prompts,
        double klCoefficient, int seed, string output)
    {
        var spec = _pipeline.Ppo;
        string name = RunName(policyName, proxy.Name, klCoefficient, seed);
        var options = spec.Options(_pipeline.Sampling, klCoefficient, seed);
        options.Name = name;
        (options.InitialPolicy, options.Reward, options.Gold, options.Rule) = (policy, proxy, gold, rule);
        options.EvaluationData = Prompts(prompts.HeldOut);
        // Keyed by the proxy's provenance, so a retrained proxy of the same name never resumes a stale run.
        options.CheckpointDirectory = Path.Combine(output, "checkpoints", ModelArchive.Sha256(System.Text.Encoding.UTF8.GetBytes(proxy.Info.Provenance))[..12]);
        (options.Device, options.Progress) = (_run.Device, _run.Progress);
        var result = _ml.Optimization().Ppo(options).Fit(Prompts(prompts.Train));
        new CurveLabels(policyName, proxy.Info, _pipeline.ProxySeedOf(proxy.Name)).Stamp(result.Curve);
        if (result.DiscardedCheckpoint is { } discarded)
        {
            _run.Log(discarded);
        }
        if (result.Resumed)
        {
            _run.Log($"{name}: resumed from its checkpoint");
        }
        result.Policy.Save(Path.Combine(output, $"{name}.policy.zip"));
        var table = new CsvTable("step", "beta", "learning_rate", "mean_score", "kl_exact", "k1_estimate", "k3_estimate", "entropy", "policy_loss",
            "value_loss", "kl_loss", "clip_fraction", "approx_kl_old", "explained_variance", "distinct_responses");
        foreach (var d in result.Diagnostics)
        {
            table.Add(d.Step, d.Beta, d.LearningRate, d.MeanScore, d.KlExact, d.KlK1, d.KlK3, d.Entropy, d.PolicyLoss, d.ValueLoss, d.KlLoss,
                d.ClipFraction, d.ApproxKlOld, d.ExplainedVariance, d.DistinctResponses);
        }
        table.Save(Path.Combine(output, $"{name}.csv"));
        return (result, FinalSamples(result.Policy, policy, proxy, gold, rule, prompts, seed));
    }

    /// <summary>What the trained policy writes: 32 responses to held-out prompts, scored by the proxy, gold and the rule.</summary>
    private IReadOnlyList<ScoredResponse> FinalSamples(Policy trained, Policy reference, RewardModel proxy, IRewardScorer gold, IRewardScorer rule, PromptSplit prompts, int seed)
    {
        using var generator = new TorchSharp.torch.Generator(SeedStreams.PpoReportSamples(seed), trained.Device);
        var chosen = prompts.HeldOut.Take(32).ToArray();
        var samples = OverOpt.MLNet.Sampling.PolicySampler.SampleAll(trained.Model, reference.Model, chosen, 1,
            new OverOpt.MLNet.Sampling.SamplingOptions { ResponseLength = _pipeline.Sampling.ResponseLength, Temperature = _pipeline.Sampling.Temperature }, generator);
        var responses = samples.Select(s => s.Response).ToArray();
        var (p, g, r) = (proxy.Score(chosen, responses), gold.Score(chosen, responses), rule.Score(chosen, responses));
        return samples.Select((s, i) => new ScoredResponse(s.Prompt, s.Response, p[i], g[i], r[i])).ToList();
    }

    private IDataView Prompts(IReadOnlyList<int[]> prompts) => _ml.Policies().PromptRows(prompts);
}

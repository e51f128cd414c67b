using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.Experiments.Pipelines;

/// <summary>A proxy's best-of-n outcome in a pipeline run.</summary>
public sealed record ProxyCurve(RewardModel Proxy, BestOfNResult Result, OveroptimizationVerdict Verdict, float[] ProxyScores);

/// <summary>
/// Best-of-n in a pipeline: N samples of pi_init per held-out prompt, scored once by gold, the rule and every proxy,
/// each proxy's scores turned into its curve by <see cref="BestOfNEvaluator"/> (gold's and the rule's).
/// </summary>
internal sealed class BestOfNStage
{
    private readonly MLContext _ml;
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;

    public BestOfNStage(MLContext mlContext, PipelineDefinition pipeline, PipelineRunOptions run)
    {
        _ml = mlContext;
        _pipeline = pipeline;
        _run = run;
    }

    public (IReadOnlyList<PolicySample> Samples, float[] Gold, IReadOnlyList<ProxyCurve> Curves) Run(
        Policy policy, string policyName, RewardModel gold, IRewardScorer rule, IReadOnlyList<(RewardModel Model, int Comparisons)> proxies, PromptSplit prompts)
    {
        // PipelineRunner has checked that there are enough held-out prompts, before anything was trained.
        var spec = _pipeline.BestOfN;
        using var generator = new Generator((ulong)(_pipeline.Seed + 2), policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, prompts.HeldOut.Take(spec.Prompts).ToArray(), spec.SamplesPerPrompt,
            new SamplingOptions { ResponseLength = _pipeline.Sampling.ResponseLength, Temperature = _pipeline.Sampling.Temperature, BatchSize = 1000 },
            generator, Progress.RelabelledProgress.Wrap(_run.Progress, _ => "best-of-n samples"));
        var promptTokens = samples.Select(s => s.Prompt).ToArray();
        var responses = samples.Select(s => s.Response).ToArray();
        _run.Log($"scoring {samples.Count} samples with gold, the rule and {proxies.Count} proxies");
        var goldScores = gold.Score(promptTokens, responses);
        var ruleScores = rule.Score(promptTokens, responses);
        var goldByPrompt = ByPrompt(goldScores, spec.SamplesPerPrompt);
        var ruleByPrompt = ByPrompt(ruleScores, spec.SamplesPerPrompt);
        var curves = new List<ProxyCurve>();
        foreach (var (proxy, comparisons) in proxies)
        {
            var proxyScores = proxy.Score(promptTokens, responses);
            var proxyByPrompt = ByPrompt(proxyScores, spec.SamplesPerPrompt);
            var options = new BestOfNOptions
            {
                MaxN = spec.MaxN,
                Points = spec.Points,
                BootstrapResamples = spec.BootstrapResamples,
                Seed = _pipeline.Seed,
                Policy = policyName,
                Proxy = proxy.Name,
                ProxyParams = proxy.Info.Parameters,
                Comparisons = comparisons,
            };
            var result = BestOfNEvaluator.Evaluate(proxyByPrompt, goldByPrompt, options);
            // The rule's curve: the same estimator with the rule in gold's place (same selections, same resamples).
            var ruleCurve = BestOfNEvaluator.Evaluate(proxyByPrompt, ruleByPrompt, options).Points;
            for (int k = 0; k < result.Points.Count; k++)
            {
                result.Points[k].RuleScore = ruleCurve[k].GoldScore;
                result.Points[k].RuleCiLow = ruleCurve[k].GoldCiLow;
                result.Points[k].RuleCiHigh = ruleCurve[k].GoldCiHigh;
            }
            curves.Add(new ProxyCurve(proxy, result, OveroptimizationVerdict.Assess(result.Points), proxyScores));
            _run.Progress?.Report(new OverOpt.MLNet.Progress.ProgressUpdate("best-of-n curves", curves.Count, proxies.Count, proxy.Name));
        }
        return (samples, goldScores, curves);
    }

    private static float[][] ByPrompt(float[] scores, int perPrompt)
        => Enumerable.Range(0, scores.Length / perPrompt).Select(p => scores.AsSpan(p * perPrompt, perPrompt).ToArray()).ToArray();
}

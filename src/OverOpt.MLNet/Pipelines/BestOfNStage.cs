using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Pipelines;

/// <summary>A proxy's best-of-n outcome in a pipeline run.</summary>
public sealed record ProxyCurve(RewardModel Proxy, BestOfNResult Result, OveroptimizationVerdict Verdict, float[] ProxyScores);

/// <summary>
/// Best-of-n in a pipeline: N samples of pi_init per held-out prompt, scored once by gold and by every proxy, each
/// proxy's samples turned into its curve by the <see cref="BestOfNCurveTransformer"/>.
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
        Policy policy, RewardModel gold, IReadOnlyList<(RewardModel Model, int Comparisons)> proxies, TextCorpus corpus)
    {
        var spec = _pipeline.BestOfN;
        var prompts = TextCorpus.Prompts(policy.Tokenizer, corpus.ValidationStories, _pipeline.Sampling.PromptLength);
        if (prompts.Length < spec.Prompts)
        {
            throw new OverOptConfigurationException(
                $"{spec.Prompts} prompts were asked for, but only {prompts.Length} held-out stories are long enough.", "bestOfN.prompts", $"ask for at most {prompts.Length}.");
        }
        using var generator = new Generator((ulong)(_pipeline.Seed + 2), policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, prompts.Take(spec.Prompts).ToArray(), spec.SamplesPerPrompt,
            new SamplingOptions { ResponseLength = _pipeline.Sampling.ResponseLength, Temperature = _pipeline.Sampling.Temperature, BatchSize = 1000 },
            generator, Progress.RelabelledProgress.Wrap(_run.Progress, _ => "best-of-n samples"));
        var promptTokens = samples.Select(s => s.Prompt).ToArray();
        var responses = samples.Select(s => s.Response).ToArray();
        _run.Log($"scoring {samples.Count} samples with gold and {proxies.Count} proxies");
        var goldScores = gold.Score(promptTokens, responses);
        var curves = new List<ProxyCurve>();
        foreach (var (proxy, comparisons) in proxies)
        {
            var proxyScores = proxy.Score(promptTokens, responses);
            var rows = samples.Select((s, i) => new ScoredSample { PromptIndex = i / spec.SamplesPerPrompt, ProxyScore = proxyScores[i], GoldScore = goldScores[i] });
            var transformer = _ml.Overoptimization().BestOfNCurve(new BestOfNOptions
            {
                MaxN = spec.MaxN,
                Points = spec.Points,
                BootstrapResamples = spec.BootstrapResamples,
                Seed = _pipeline.Seed,
                Proxy = proxy.Name,
                ProxyParams = proxy.Info.Parameters,
                Comparisons = comparisons,
            });
            transformer.Transform(_ml.Data.LoadFromEnumerable(rows));
            var result = transformer.LastResult!;
            curves.Add(new ProxyCurve(proxy, result, OveroptimizationVerdict.Assess(result.Points), proxyScores));
            _run.Progress?.Report(new Progress.ProgressUpdate("best-of-n curves", curves.Count, proxies.Count, proxy.Name));
        }
        return (samples, goldScores, curves);
    }
}

using System.Globalization;
using Microsoft.ML;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// Iterated RLHF in a pipeline (sec. 4.3): for each k and seed, k rounds of new comparisons of the current policy labelled
/// by gold (with the pipeline's label noise), a proxy of the named recipe retrained on all comparisons so far, and PPO from
/// the current policy until its KL from the round's start reaches the round's budget; iterated.csv holds every round.
/// </summary>
internal sealed class IteratedRlhfStage
{
    private readonly MLContext _ml;
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;
    private readonly ArtifactCache _cache;

    public IteratedRlhfStage(MLContext mlContext, PipelineDefinition pipeline, PipelineRunOptions run, ArtifactCache cache)
    {
        _ml = mlContext;
        _pipeline = pipeline;
        _run = run;
        _cache = cache;
    }

    public IReadOnlyList<IteratedRlhfRun> Run(Policy piInit, string policyName, IRewardScorer gold, IRewardScorer rule, TextCorpus corpus, PromptSplit prompts, string output)
    {
        var spec = _pipeline.IteratedRlhf!;
        var recipe = _pipeline.Proxies.Single(p => p.Name == spec.Proxy);
        var stage = new RewardModelStage(_ml, _pipeline, _run, _cache);
        using var languageModel = stage.LanguageModelFor(recipe, corpus);
        var runs = new List<IteratedRlhfRun>();
        foreach (int k in spec.Rounds)
        {
            foreach (int seed in spec.Seeds)
            {
                runs.Add(RunOne(k, seed, piInit, policyName, gold, rule, recipe, stage.Context, languageModel, prompts));
            }
        }
        var table = new CsvTable("rounds", "seed", "round", "comparisons", "steps", "round_kl", "total_d", "round_gold", "total_gold", "round_proxy", "kl_from_init", "gold_from_init");
        foreach (var run in runs)
        {
            foreach (var r in run.RoundResults)
            {
                bool last = r.Round == run.Rounds;
                table.Add(run.Rounds, run.Seed, r.Round, r.Comparisons, r.Steps, r.Kl, r.TotalD, r.RoundGold, r.TotalGold, r.RoundProxy,
                    last ? run.KlFromInit : null, last ? run.GoldFromInit : null);
            }
        }
        table.Save(Path.Combine(output, OutputFiles.IteratedRlhf));
        return runs;
    }

    private IteratedRlhfRun RunOne(int k, int seed, Policy piInit, string policyName, IRewardScorer gold, IRewardScorer rule, ProxySpec recipe, int context,
        Policy? languageModel, PromptSplit prompts)
    {
        var spec = _pipeline.IteratedRlhf!;
        var comparisons = new List<ComparisonRow>();
        var rounds = new List<IteratedRound>();
        var current = piInit;
        IReadOnlyList<MLNet.Curves.CurvePoint> firstCurve = [];
        MLNet.Fits.GoldCurveFit? firstFit = null;
        double totalD = 0, totalGold = 0;
        try
        {
            for (int round = 1; round <= k; round++)
            {
                string name = $"iterated-{policyName}-k{k}-r{round}-s{seed}";
                comparisons.AddRange(ComparisonBuilder.Build(current, gold, prompts.Train, spec.ComparisonsPerRound, _pipeline.Comparisons.LabelNoise,
                    _pipeline.Sampling.ToBulkOptions(), SeedStreams.IteratedComparisons(seed, k, round)));
                var proxyOptions = recipe.TransformerOptions(context, seed);
                (proxyOptions.Name, proxyOptions.Tokenizer, proxyOptions.PretrainedInitialization, proxyOptions.Device, proxyOptions.Progress) =
                    (name, piInit.Tokenizer, languageModel, _run.Device, _run.Progress);
                using var proxy = _ml.RewardModels().Trainers.Transformer(proxyOptions).Fit(_ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(comparisons)));
                var ppo = _pipeline.Ppo.Options(_pipeline.Sampling, klCoefficient: 0, seed);
                (ppo.Name, ppo.InitialPolicy, ppo.Reward, ppo.Gold, ppo.Rule, ppo.Device, ppo.Progress) = (name, current, proxy, gold, rule, _run.Device, _run.Progress);
                ppo.EvaluationData = _ml.Policies().PromptRows(prompts.HeldOut);
                ppo.TargetKl = spec.TotalKl / ((double)k * k);
                ppo.Steps = spec.MaxStepsPerRound;
                var result = _ml.Optimization().Ppo(ppo).Fit(_ml.Policies().PromptRows(prompts.Train));
                var end = result.Curve[^1];
                totalD += end.D;
                totalGold += end.GoldScore;
                rounds.Add(new IteratedRound(round, comparisons.Count, end.Step, end.Kl, totalD, end.GoldScore, totalGold, end.ProxyScore));
                _run.Log(string.Create(CultureInfo.InvariantCulture, $"{name}: {end.Step:F0} steps, KL {end.Kl:F2} from the round's start, gold {end.GoldScore:+0.000;-0.000} (total {totalGold:F3} at d {totalD:F2})"));
                if (round == 1)
                {
                    (firstCurve, firstFit) = (result.Curve, result.Fit);
                }
                if (!ReferenceEquals(current, piInit))
                {
                    current.Dispose();
                }
                current = result.Policy;
            }
            var (kl, goldGain) = Measure(current, piInit, gold, prompts, seed, k);
            return new IteratedRlhfRun(k, seed, rounds, firstCurve, firstFit, kl, goldGain);
        }
        finally
        {
            if (!ReferenceEquals(current, piInit))
            {
                current.Dispose();
            }
        }
    }

    /// <summary>The last policy against pi_init on the same held-out prompts: exact KL, and gold's mean over pi_init's.</summary>
    private (double Kl, double Gold) Measure(Policy trained, Policy piInit, IRewardScorer gold, PromptSplit prompts, int seed, int rounds)
    {
        var chosen = Enumerable.Range(0, _pipeline.Ppo.EvaluationSamples).Select(i => prompts.HeldOut[i % prompts.HeldOut.Count]).ToArray();
        var sampling = new SamplingOptions { ResponseLength = _pipeline.Sampling.ResponseLength, Temperature = _pipeline.Sampling.Temperature };
        using var generator = new Generator(SeedStreams.IteratedMeasurement(seed, rounds), piInit.Device);
        var after = PolicySampler.SampleAll(trained.Model, piInit.Model, chosen, 1, sampling, generator);
        var before = PolicySampler.SampleAll(piInit.Model, piInit.Model, chosen, 1, sampling, generator);
        double Gold(IReadOnlyList<PolicySample> samples) => gold.Score(chosen, samples.Select(s => s.Response).ToArray()).Average(v => (double)v);
        return (after.Average(s => s.Kl), Gold(after) - Gold(before));
    }
}

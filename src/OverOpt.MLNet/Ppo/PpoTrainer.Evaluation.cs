using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

public sealed partial class PpoTrainer
{
    /// <summary>Proxy, gold and rule on fresh samples of the evaluation prompts, with 95% normal intervals; KL exact, summed over the response.</summary>
    private CurvePoint EvaluateRaw(Policy policy, Policy reference, IReadOnlyList<int[]> prompts, SamplingOptions sampling, int step)
    {
        // A generator of its own per evaluation, so evaluating never shifts the training randomness.
        using var generator = new Generator(SeedStreams.PpoEvaluation(_options.Seed, step), policy.Device);
        var chosen = Enumerable.Range(0, _options.EvaluationSamples).Select(i => prompts[i % prompts.Count]).ToArray();
        var samples = PolicySampler.SampleAll(policy.Model, reference.Model, chosen, 1, sampling, generator);
        var responses = samples.Select(s => s.Response).ToArray();
        double[] Scores(RewardModels.IRewardScorer scorer) => scorer.Score(chosen, responses).Select(s => (double)s).ToArray();
        // An ensemble's members score once, for both its objective and their disagreement.
        var members = (_options.Reward as RewardModels.EnsembleRewardModel)?.MemberScores(chosen, responses);
        var proxy = members is null ? Scores(_options.Reward!) : ((RewardModels.EnsembleRewardModel)_options.Reward!).Combine(members).Select(s => (double)s).ToArray();
        var gold = Scores(_options.Gold ?? _options.Reward!);
        var rule = _options.Rule is null ? null : Scores(_options.Rule);
        if (proxy.Concat(gold).Concat(rule ?? []).Any(v => !double.IsFinite(v)))
        {
            throw new PpoDivergedException(step, "the reward, gold or rule returned NaN or infinity while evaluating");
        }
        var key = new CurveKey { Proxy = _options.Reward!.Name, KlCoefficient = _options.KlCoefficient, Seed = _options.Seed };
        var point = RlCurvePoints.At(key, step, samples.Select(s => s.Kl).ToArray(), proxy, gold, rule);
        point.ProxyDisagreement = members is null ? double.NaN : RewardModels.EnsembleRewardModel.Disagreement(members).Average();
        point.K1Estimate = samples.Average(s => s.LogRatio);
        point.K3Estimate = samples.Average(s => s.LogProbs.Zip(s.ReferenceLogProbs, (p, q) => Math.Exp(q - (double)p) - 1 + (p - (double)q)).Sum());
        return point;
    }

    /// <summary>R_RL on every evaluation after step 0; intervals from resampling each point within its evaluation interval. Null where the points cannot determine it.</summary>
    internal static GoldCurveFit? FitCurve(IReadOnlyList<CurvePoint> curve)
    {
        var usable = curve.Where(p => p.D > 0).ToArray();
        if (usable.Select(p => p.D).Distinct().Count() < 2)
        {
            return null;
        }
        var d = usable.Select(p => p.D).ToArray();
        var gold = usable.Select(p => p.GoldScore).ToArray();
        var random = new Random(17);
        var resamples = Enumerable.Range(0, 500).Select(_ => usable.Select(p => p.GoldScore + (p.GoldCiHigh - p.GoldScore) / Statistics.Normal975 * Statistics.Gaussian(random)).ToArray()).ToList();
        try
        {
            return CurveFitter.Fit(GoldCurveForm.ReinforcementLearning, d, gold, resamples);
        }
        catch (ArgumentException)
        {
            // A run that barely left pi_init (d within rounding of one value) has no fit; on another CPU it may have one.
            return null;
        }
    }
}

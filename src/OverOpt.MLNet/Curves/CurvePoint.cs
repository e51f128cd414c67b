using Microsoft.ML.Data;

namespace OverOpt.MLNet.Curves;

/// <summary>
/// One point of an overoptimization curve: a proxy's and gold's mean score after optimizing the proxy to distance
/// d = sqrt(KL) from pi_init, with 95% intervals. A point is its curve's <see cref="Key"/>, its position (n or step,
/// KL, d) and its <see cref="Scores"/>; the flat properties are the same values as the columns of curve IDataViews and
/// of curves.csv (all but <see cref="CurveKey.ProxySeed"/>, which an IDataView cannot hold as a nullable number). For best-of-n, <see cref="Kl"/> is the analytic ln n - (n-1)/n and <see cref="KlMeasured"/> the
/// estimate from the samples; for RL both are the exact KL measured on fresh samples and <see cref="N"/> is 1.
/// </summary>
public sealed class CurvePoint
{
    /// <summary>The curve this point belongs to.</summary>
    [NoColumn]
    public CurveKey Key { get; set; } = new();

    /// <summary>
    /// Proxy, gold and rule scores, each in its model's normalized units (pi_init's samples have mean 0 and std 1) and
    /// re-centred so that pi_init's own point is 0. Intervals: a bootstrap over prompts for best-of-n, 1.96 standard
    /// errors over samples for RL, seed-level on seed-mean rows.
    /// </summary>
    [NoColumn]
    public CurveScores Scores { get; set; } = CurveScores.Unscored;

    /// <summary><see cref="CurveKey.Method"/> as the tables write it: "bon" or "ppo".</summary>
    public string Method { get => Key.Method.Label(); set => Key = Key with { Method = OptimizationMethodLabels.Parse(value) }; }

    /// <summary><see cref="CurveKey.Policy"/>.</summary>
    public string Policy { get => Key.Policy; set => Key = Key with { Policy = value }; }

    /// <summary><see cref="CurveKey.KlCoefficient"/>.</summary>
    public double KlCoefficient { get => Key.KlCoefficient; set => Key = Key with { KlCoefficient = value }; }

    /// <summary><see cref="CurveKey.Proxy"/>.</summary>
    public string Proxy { get => Key.Proxy; set => Key = Key with { Proxy = value }; }

    /// <summary><see cref="CurveKey.ProxyKind"/>.</summary>
    public string ProxyKind { get => Key.ProxyKind; set => Key = Key with { ProxyKind = value }; }

    /// <summary><see cref="CurveKey.ProxyParams"/>.</summary>
    public long ProxyParams { get => Key.ProxyParams; set => Key = Key with { ProxyParams = value }; }

    /// <summary><see cref="CurveKey.Comparisons"/>.</summary>
    public int Comparisons { get => Key.Comparisons; set => Key = Key with { Comparisons = value }; }

    /// <summary>The seed of <see cref="CurveKey.Seed"/>; 0 on seed-mean rows.</summary>
    public int Seed { get => Key.Seed.Value; set => Key = Key with { Seed = new CurveSeed(value, Key.Seed.IsMean) }; }

    /// <summary>Whether <see cref="CurveKey.Seed"/> is the mean over seeds (intervals seed-level).</summary>
    public bool IsSeedMean { get => Key.Seed.IsMean; set => Key = Key with { Seed = new CurveSeed(Key.Seed.Value, value) }; }

    /// <summary>Best-of-n's n: the proxy picks the highest-scoring of n samples of pi_init per prompt; 1 for RL.</summary>
    public int N { get; set; }

    /// <summary>Optimizer step (RL); NaN for best-of-n.</summary>
    public double Step { get; set; } = double.NaN;

    /// <summary>KL(pi || pi_init) in nats per response (summed over its tokens): for best-of-n the analytic ln n - (n-1)/n, for RL the exact KL averaged over the evaluation samples.</summary>
    public double Kl { get; set; }

    /// <summary>KL in nats per response measured on the samples themselves: for best-of-n from the empirical distribution of each prompt's N samples, averaged over prompts (below <see cref="Kl"/> where the policy repeats responses); for RL equal to <see cref="Kl"/>.</summary>
    public double KlMeasured { get; set; }

    /// <summary>RL only: the k1 estimate mean(sum_t log pi - log pi_init) on the same samples, for comparison (unbiased, can be negative).</summary>
    public double K1Estimate { get; set; } = double.NaN;

    /// <summary>RL only: the k3 estimate mean(sum_t exp(-r) - 1 + r), r = log pi - log pi_init (never negative).</summary>
    public double K3Estimate { get; set; } = double.NaN;

    /// <summary>
    /// RL against an ensemble only: the members' disagreement on the evaluation samples, the mean over samples of the
    /// population variance of the members' scores; NaN otherwise.
    /// </summary>
    public double ProxyDisagreement { get; set; } = double.NaN;

    /// <summary>sqrt(<see cref="Kl"/>).</summary>
    public double D { get; set; }

    /// <summary>The mean of <see cref="CurveScores.Proxy"/>.</summary>
    public double ProxyScore { get => Scores.Proxy.Mean; set => Scores = Scores with { Proxy = Scores.Proxy with { Mean = value } }; }

    /// <summary>The lower bound of <see cref="CurveScores.Proxy"/>.</summary>
    public double ProxyCiLow { get => Scores.Proxy.Low; set => Scores = Scores with { Proxy = Scores.Proxy with { Low = value } }; }

    /// <summary>The upper bound of <see cref="CurveScores.Proxy"/>.</summary>
    public double ProxyCiHigh { get => Scores.Proxy.High; set => Scores = Scores with { Proxy = Scores.Proxy with { High = value } }; }

    /// <summary>The mean of <see cref="CurveScores.Gold"/>: the true reward the curve is about.</summary>
    public double GoldScore { get => Scores.Gold.Mean; set => Scores = Scores with { Gold = Scores.Gold with { Mean = value } }; }

    /// <summary>The lower bound of <see cref="CurveScores.Gold"/>.</summary>
    public double GoldCiLow { get => Scores.Gold.Low; set => Scores = Scores with { Gold = Scores.Gold with { Low = value } }; }

    /// <summary>The upper bound of <see cref="CurveScores.Gold"/>.</summary>
    public double GoldCiHigh { get => Scores.Gold.High; set => Scores = Scores with { Gold = Scores.Gold with { High = value } }; }

    /// <summary>The mean of <see cref="CurveScores.Rule"/>: the world's own truth (<see cref="RewardModels.GoldPreference"/> scored exactly on the same samples, normalized like gold); NaN where no rule was given.</summary>
    public double RuleScore { get => Scores.Rule.Mean; set => Scores = Scores with { Rule = Scores.Rule with { Mean = value } }; }

    /// <summary>The lower bound of <see cref="CurveScores.Rule"/>.</summary>
    public double RuleCiLow { get => Scores.Rule.Low; set => Scores = Scores with { Rule = Scores.Rule with { Low = value } }; }

    /// <summary>The upper bound of <see cref="CurveScores.Rule"/>.</summary>
    public double RuleCiHigh { get => Scores.Rule.High; set => Scores = Scores with { Rule = Scores.Rule with { High = value } }; }

    /// <summary>A copy of this point (the key and scores are immutable, so a shallow copy is a full one).</summary>
    public CurvePoint Clone() => (CurvePoint)MemberwiseClone();
}

using OverOpt.MLNet.Curves;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// A point of an RL curve from the samples of one evaluation: means with 95% normal intervals over samples, and the
/// exact KL averaged over them. Shared by the PPO trainer and <see cref="RlCurveTransformer"/>.
/// </summary>
internal static class RlCurvePoints
{
    /// <summary>The point at <paramref name="step"/>: <paramref name="identity"/>'s policy, proxy and seed fields, and the sample means.</summary>
    public static CurvePoint At(CurvePoint identity, double step, double[] kl, double[] proxy, double[] gold, double[]? rule)
    {
        static double Half(double[] values) => 1.96 * Statistics.StandardDeviation(values) / Math.Sqrt(values.Length);
        double meanKl = kl.Average();
        var point = identity.Clone();
        point.Method = "ppo";
        point.N = 1;
        point.Step = step;
        point.Kl = meanKl;
        // RL's KL is measured either way: kl and kl_measured are both the exact one.
        point.KlMeasured = meanKl;
        point.D = Math.Sqrt(Math.Max(0, meanKl));
        point.ProxyScore = proxy.Average();
        point.ProxyCiLow = point.ProxyScore - Half(proxy);
        point.ProxyCiHigh = point.ProxyScore + Half(proxy);
        point.GoldScore = gold.Average();
        point.GoldCiLow = point.GoldScore - Half(gold);
        point.GoldCiHigh = point.GoldScore + Half(gold);
        point.RuleScore = rule is null ? double.NaN : rule.Average();
        point.RuleCiLow = rule is null ? double.NaN : point.RuleScore - Half(rule);
        point.RuleCiHigh = rule is null ? double.NaN : point.RuleScore + Half(rule);
        return point;
    }

    /// <summary>The point with pi_init's mean scores subtracted (R(0) = 0).</summary>
    public static CurvePoint Centre(CurvePoint raw, ScoreBaseline baseline)
    {
        var point = raw.Clone();
        point.ProxyScore -= baseline.Proxy;
        point.ProxyCiLow -= baseline.Proxy;
        point.ProxyCiHigh -= baseline.Proxy;
        point.GoldScore -= baseline.Gold;
        point.GoldCiLow -= baseline.Gold;
        point.GoldCiHigh -= baseline.Gold;
        point.RuleScore -= baseline.Rule;
        point.RuleCiLow -= baseline.Rule;
        point.RuleCiHigh -= baseline.Rule;
        return point;
    }
}

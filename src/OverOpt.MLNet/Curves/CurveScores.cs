namespace OverOpt.MLNet.Curves;

/// <summary>A curve point's scores: the proxy's, gold's and the world's rule's (NaN where no rule was given).</summary>
public readonly record struct CurveScores(ScoreInterval Proxy, ScoreInterval Gold, ScoreInterval Rule)
{
    /// <summary>Zero proxy and gold, no rule: a point before it is scored.</summary>
    public static CurveScores Unscored => new(default, default, ScoreInterval.None);

    /// <summary>The scores with baselines subtracted, so that pi_init's point is 0 (the paper's R(0) = 0).</summary>
    public CurveScores Minus(double proxy, double gold, double rule) => new(Proxy.Shift(-proxy), Gold.Shift(-gold), Rule.Shift(-rule));
}

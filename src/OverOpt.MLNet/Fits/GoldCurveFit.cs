namespace OverOpt.MLNet.Fits;

/// <summary>A least-squares fit of one of the <see cref="GoldCurveForm"/>s with bootstrap intervals (95%).</summary>
public sealed record GoldCurveFit
{
    public GoldCurveForm Form { get; init; }

    public double Alpha { get; init; }

    public double AlphaLow { get; init; }

    public double AlphaHigh { get; init; }

    public double Beta { get; init; }

    public double BetaLow { get; init; }

    public double BetaHigh { get; init; }

    /// <summary>Coefficient of determination on the fitted points (d > 0).</summary>
    public double RSquared { get; init; }

    /// <summary>Predicted peak position; NaN where beta is not positive (no peak).</summary>
    public double PeakD { get; init; }

    public double PeakDLow { get; init; }

    public double PeakDHigh { get; init; }

    /// <summary>Predicted gold score at the peak.</summary>
    public double PeakGold { get; init; }

    public int Points { get; init; }

    /// <summary>The fitted curve at <paramref name="d"/>.</summary>
    public double Evaluate(double d) => CurveFitter.Evaluate(Form, Alpha, Beta, d);
}

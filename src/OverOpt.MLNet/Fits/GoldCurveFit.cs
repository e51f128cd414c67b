namespace OverOpt.MLNet.Fits;

/// <summary>A least-squares fit of one of the <see cref="GoldCurveForm"/>s with bootstrap intervals (95%).</summary>
public sealed record GoldCurveFit
{
    /// <summary>Which functional form was fitted: R_bon or R_RL.</summary>
    public GoldCurveForm Form { get; init; }

    /// <summary>Fitted alpha, the coefficient of d: how fast gold rises with d = sqrt(KL), in gold's normalized units.</summary>
    public double Alpha { get; init; }

    /// <summary>Lower bound of alpha's 95% interval, from the resampled fits; NaN when fitted without resamples.</summary>
    public double AlphaLow { get; init; }

    /// <summary>Upper bound of alpha's 95% interval, from the resampled fits; NaN when fitted without resamples.</summary>
    public double AlphaHigh { get; init; }

    /// <summary>Fitted beta, the coefficient of the downturn (of d^2 for best-of-n, of d ln d for RL); positive where gold eventually falls.</summary>
    public double Beta { get; init; }

    /// <summary>Lower bound of beta's 95% interval, from the resampled fits; NaN when fitted without resamples.</summary>
    public double BetaLow { get; init; }

    /// <summary>Upper bound of beta's 95% interval, from the resampled fits; NaN when fitted without resamples.</summary>
    public double BetaHigh { get; init; }

    /// <summary>Coefficient of determination on the fitted points (d > 0).</summary>
    public double RSquared { get; init; }

    /// <summary>Predicted peak position; NaN where beta is not positive (no peak).</summary>
    public double PeakD { get; init; }

    /// <summary>Lower bound of <see cref="PeakD"/>'s 95% interval from the resampled fits, where a resample without a peak counts as +infinity (so a bound can be infinite); NaN when fitted without resamples.</summary>
    public double PeakDLow { get; init; }

    /// <summary>Upper bound of <see cref="PeakD"/>'s 95% interval; +infinity where more than 2.5% of the resamples have no peak; NaN when fitted without resamples.</summary>
    public double PeakDHigh { get; init; }

    /// <summary>Predicted gold score at the peak.</summary>
    public double PeakGold { get; init; }

    /// <summary>Curve points the fit used (those with d &gt; 0).</summary>
    public int Points { get; init; }

    /// <summary>The fitted curve at <paramref name="d"/>.</summary>
    public double Evaluate(double d) => CurveFitter.Evaluate(Form, Alpha, Beta, d);
}

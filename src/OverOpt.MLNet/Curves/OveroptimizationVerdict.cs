namespace OverOpt.MLNet.Curves;

/// <summary>
/// Whether a curve shows overoptimization: gold peaks at a point strictly inside the range, and the gold at the
/// last point lies below the peak by more than the peak's 95% interval (below its lower bound).
/// </summary>
public sealed record OveroptimizationVerdict(int PeakIndex, double PeakD, double PeakGold, double PeakCiLow, double PeakCiHigh, double LastGold, bool PeakInside, bool Overoptimized)
{
    /// <summary>Judges <paramref name="points"/> (a non-empty curve in order of d): the peak is the point of highest <see cref="CurvePoint.GoldScore"/>, and the curve is overoptimized when that peak lies strictly inside the range and the last point's gold is below the peak's <see cref="CurvePoint.GoldCiLow"/>.</summary>
    public static OveroptimizationVerdict Assess(IReadOnlyList<CurvePoint> points)
    {
        int peak = 0;
        for (int i = 1; i < points.Count; i++)
        {
            if (points[i].GoldScore > points[peak].GoldScore)
            {
                peak = i;
            }
        }
        var top = points[peak];
        double last = points[^1].GoldScore;
        bool inside = peak > 0 && peak < points.Count - 1;
        return new OveroptimizationVerdict(peak, top.D, top.GoldScore, top.GoldCiLow, top.GoldCiHigh, last, inside, inside && last < top.GoldCiLow);
    }
}

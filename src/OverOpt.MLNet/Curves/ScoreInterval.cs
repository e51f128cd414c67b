namespace OverOpt.MLNet.Curves;

/// <summary>A mean score with the bounds of its 95% interval.</summary>
public readonly record struct ScoreInterval(double Mean, double Low, double High)
{
    /// <summary>No score (NaN throughout): the rule's where no rule was given.</summary>
    public static ScoreInterval None => new(double.NaN, double.NaN, double.NaN);

    /// <summary>The mean of <paramref name="values"/> with a normal interval of 1.96 standard errors.</summary>
    public static ScoreInterval OfSamples(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double half = Statistics.Normal975 * Statistics.StandardDeviation(values) / Math.Sqrt(values.Count);
        return new(mean, mean - half, mean + half);
    }

    /// <summary>The interval moved by <paramref name="offset"/> (mean and bounds).</summary>
    public ScoreInterval Shift(double offset) => new(Mean + offset, Low + offset, High + offset);
}

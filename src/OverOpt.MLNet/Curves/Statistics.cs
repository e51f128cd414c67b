namespace OverOpt.MLNet.Curves;

/// <summary>Small numeric helpers.</summary>
public static class Statistics
{
    /// <summary>The standard normal's 0.975 quantile: half a 95% interval in standard errors.</summary>
    public const double Normal975 = 1.96;

    /// <summary>Sample standard deviation (n - 1).</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1));
    }

    /// <summary>Pearson correlation of the pairs (<paramref name="x"/>[i], <paramref name="y"/>[i]); NaN where either is constant.</summary>
    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>The <paramref name="q"/> quantile (0..1) of <paramref name="sorted"/> (ascending), linearly interpolated; NaN for no values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        double position = q * (sorted.Count - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>A standard normal draw (Box-Muller) from <paramref name="random"/>.</summary>
    public static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

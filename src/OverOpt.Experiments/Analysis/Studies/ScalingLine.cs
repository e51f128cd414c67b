using OverOpt.Experiments.SeedStatistics;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// A least-squares line y = intercept + slope x through per-seed points (one point per configuration and seed, not per
/// configuration mean), with the slope's 95% interval from Student's t on n - 2 degrees of freedom:
/// slope +- t(0.975, n - 2) sqrt(SSR / (n - 2) / Sxx). Points that lie exactly on a line give that slope and an interval
/// of zero width. <see cref="MeansRSquared"/> says how straight the configuration means are about the same line.
/// </summary>
public sealed record ScalingLine(double Slope, double SlopeLow, double SlopeHigh, double Intercept, double RSquared, double MeansRSquared, int Points)
{
    /// <summary>The line through <paramref name="points"/> (non-finite ones left out); null with fewer than 2 distinct x.</summary>
    public static ScalingLine? Fit(IEnumerable<(double X, double Y)> points)
    {
        var p = points.Where(q => double.IsFinite(q.X) && double.IsFinite(q.Y)).ToArray();
        if (p.Select(q => q.X).Distinct().Count() < 2)
        {
            return null;
        }
        double mx = p.Average(q => q.X), my = p.Average(q => q.Y);
        double sxx = p.Sum(q => (q.X - mx) * (q.X - mx));
        double sxy = p.Sum(q => (q.X - mx) * (q.Y - my));
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double ssr = p.Sum(q => Math.Pow(q.Y - intercept - slope * q.X, 2));
        double sst = p.Sum(q => (q.Y - my) * (q.Y - my));
        double half = p.Length > 2 ? SeedInterval.StudentT975(p.Length - 2) * Math.Sqrt(ssr / (p.Length - 2) / sxx) : double.NaN;
        // The configuration means (one per distinct x) about the same line.
        var means = p.GroupBy(q => q.X).Select(g => (X: g.Key, Y: g.Average(q => q.Y))).ToArray();
        double meanOfMeans = means.Average(m => m.Y);
        double meansTotal = means.Sum(m => (m.Y - meanOfMeans) * (m.Y - meanOfMeans));
        double meansResidual = means.Sum(m => Math.Pow(m.Y - intercept - slope * m.X, 2));
        return new ScalingLine(slope, slope - half, slope + half, intercept, sst > 0 ? 1 - ssr / sst : double.NaN,
            meansTotal > 0 ? 1 - meansResidual / meansTotal : double.NaN, p.Length);
    }

    /// <summary>The line at <paramref name="x"/>.</summary>
    public double At(double x) => Intercept + Slope * x;

    /// <summary>Whether the slope's interval lies wholly above 0 (NaN bounds: no).</summary>
    public bool Rising => SlopeLow > 0;

    /// <summary>Whether the slope's interval lies wholly below 0 (NaN bounds: no).</summary>
    public bool Falling => SlopeHigh < 0;

    /// <summary>"slope -0.031 [-0.050, -0.012] per decade (18 points, R^2 0.71)".</summary>
    public string Describe(string unit = "per decade", string format = "F3")
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"slope {SlopeInterval(format)} {unit} ({Points} points, R^2 {Text(RSquared, "F2")})");

    /// <summary>The slope and its interval alone, "-0.0310 [-0.0500, -0.0120]" at the default format.</summary>
    public string SlopeInterval(string format = "F4") => $"{Text(Slope, format)} [{Text(SlopeLow, format)}, {Text(SlopeHigh, format)}]";

    private static string Text(double value, string format) => double.IsFinite(value) ? value.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}

/// <summary>A seed-level mean and 95% Student-t interval (<see cref="SeedInterval.Of"/>) with the number of seeds it rests on.</summary>
public sealed record SeedSummary(double Mean, double Low, double High, int Seeds)
{
    /// <summary>The summary of per-seed values (non-finite ones left out).</summary>
    public static SeedSummary Of(IEnumerable<double> perSeed)
    {
        var values = perSeed.Where(double.IsFinite).ToArray();
        var (mean, low, high) = SeedInterval.Of(values);
        return new SeedSummary(mean, low, high, values.Length);
    }

    /// <summary>Whether <paramref name="value"/> lies inside the interval (a single seed has none: false).</summary>
    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>"0.452 [0.414, 0.493]" (the mean alone for one seed, "n/a" for none).</summary>
    public string Describe(string format = "F3")
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return Seeds == 0 ? "n/a" : double.IsFinite(Low) ? $"{Mean.ToString(format, c)} [{Low.ToString(format, c)}, {High.ToString(format, c)}]" : Mean.ToString(format, c);
    }
}

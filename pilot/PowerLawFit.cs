namespace WorldPilot;

/// <summary>Least squares of log(y) on log(x): y = c x^slope, with the fit's R^2 in log-log space.</summary>
internal sealed record PowerLawFit(double Slope, double Intercept, double RSquared)
{
    public static PowerLawFit Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var lx = x.Select(v => Math.Log(v)).ToArray();
        var ly = y.Select(v => Math.Log(Math.Max(v, 1e-9))).ToArray();
        double mx = lx.Average(), my = ly.Average();
        double sxy = lx.Zip(ly, (a, b) => (a - mx) * (b - my)).Sum();
        double sxx = lx.Sum(a => (a - mx) * (a - mx));
        double syy = ly.Sum(b => (b - my) * (b - my));
        double slope = sxy / sxx;
        return new PowerLawFit(slope, my - slope * mx, syy > 0 ? sxy * sxy / (sxx * syy) : 1);
    }

    public override string ToString() => $"excess ~ params^{Slope:F3} (R^2 {RSquared:F3})";
}

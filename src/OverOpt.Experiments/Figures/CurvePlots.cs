using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using ScottPlot;

namespace OverOpt.Experiments.Figures;

/// <summary>The paper's figures as PNG files (ScottPlot, headless).</summary>
public static class CurvePlots
{
    private const string FontName = "DejaVu Sans";
    private static readonly Lazy<bool> FontRegistered = new(RegisterFont);

    /// <summary>
    /// Fig. 1a: gold (solid, with its 95% band) and proxy (dashed) against d for each proxy, with the fitted gold form
    /// (dotted).
    /// </summary>
    public static void ScoresAgainstD(string path, string title, IReadOnlyList<(string Proxy, IReadOnlyList<CurvePoint> Points, GoldCurveFit? Fit)> curves)
    {
        var plot = NewPlot(title, "d = sqrt(KL(pi || pi_init))  (nats^0.5)", "score (pi_init: mean 0, std 1)");
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < curves.Count; i++)
        {
            var (proxy, points, fit) = curves[i];
            var color = palette.GetColor(i);
            var d = points.Select(p => p.D).ToArray();
            var band = plot.Add.FillY(d, points.Select(p => p.GoldCiLow).ToArray(), points.Select(p => p.GoldCiHigh).ToArray());
            band.FillColor = color.WithAlpha(0.15);
            band.LineWidth = 0;
            var gold = plot.Add.Scatter(d, points.Select(p => p.GoldScore).ToArray(), color);
            gold.LegendText = $"{proxy}: gold";
            gold.LineWidth = 2;
            var proxyLine = plot.Add.Scatter(d, points.Select(p => p.ProxyScore).ToArray(), color);
            proxyLine.LegendText = $"{proxy}: proxy";
            proxyLine.LinePattern = LinePattern.Dashed;
            proxyLine.MarkerSize = 3;
            if (fit is not null)
            {
                var xs = Enumerable.Range(1, 100).Select(k => k * d.Max() / 100).ToArray();
                var fitted = plot.Add.ScatterLine(xs, xs.Select(fit.Evaluate).ToArray(), color);
                fitted.LinePattern = LinePattern.Dotted;
                fitted.LegendText = $"{proxy}: fit";
            }
        }
        Save(plot, path);
    }

    /// <summary>Fig. 8: gold against proxy score, one line per proxy (and method).</summary>
    public static void GoldAgainstProxy(string path, string title, IReadOnlyList<(string Label, IReadOnlyList<CurvePoint> Points)> curves)
    {
        var plot = NewPlot(title, "proxy score", "gold score");
        AddLines(plot, curves, p => p.ProxyScore, p => p.GoldScore);
        Save(plot, path);
    }

    /// <summary>Fig. 14 (right): KL(pi || pi_init) against the optimizer step, one line per run (e.g. per KL coefficient).</summary>
    public static void KlAgainstStep(string path, string title, IReadOnlyList<(string Label, IReadOnlyList<CurvePoint> Points)> curves)
    {
        var plot = NewPlot(title, "PPO step", "KL(pi || pi_init)  (nats)");
        AddLines(plot, curves, p => p.Step, p => p.Kl);
        Save(plot, path);
    }

    /// <summary>One labelled line per curve, in the palette's order.</summary>
    private static void AddLines(Plot plot, IReadOnlyList<(string Label, IReadOnlyList<CurvePoint> Points)> curves, Func<CurvePoint, double> x, Func<CurvePoint, double> y)
    {
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < curves.Count; i++)
        {
            var (label, points) = curves[i];
            var line = plot.Add.Scatter(points.Select(x).ToArray(), points.Select(y).ToArray(), palette.GetColor(i));
            line.LegendText = label;
            line.LineWidth = 2;
        }
    }

    /// <summary>Points without lines, one colour and legend entry per series (the sweep report's figures).</summary>
    public static void Points(string path, string title, string x, string y, IReadOnlyList<(string Label, double[] X, double[] Y)> series)
    {
        var plot = NewPlot(title, x, y);
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            var (label, xs, ys) = series[i];
            var points = plot.Add.ScatterPoints(xs, ys, palette.GetColor(i));
            points.LegendText = label;
            points.MarkerSize = 9;
        }
        Save(plot, path);
    }

    internal static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        if (FontRegistered.Value)
        {
            plot.Font.Set(FontName);
        }
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> to <paramref name="path"/> as a 1200 x 650 PNG, through a temporary file.</summary>
    /// <param name="plot">The figure.</param>
    /// <param name="path">The PNG to write.</param>
    /// <param name="legend">Where the legend goes, beside the data: right for many short entries (curves), bottom for a
    /// few long ones (a study's fitted line with its interval), which on the right narrowed the data area until a
    /// title centred over it ran off the figure's left edge.</param>
    internal static void Save(Plot plot, string path, Edge legend = Edge.Right)
    {
        // Beside the data, not over it: with four KL coefficients or two policies the legend inside hid the curves.
        plot.ShowLegend(legend);
        string temporary = path + ".tmp.png";
        plot.SavePng(temporary, 1200, 650);
        File.Move(temporary, path, overwrite: true);
    }

    private static bool RegisterFont()
    {
        // Without a registered font file ScottPlot falls back to a serif face on Linux.
        string[] candidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"];
        var file = candidates.FirstOrDefault(File.Exists);
        if (file is null)
        {
            return false;
        }
        Fonts.AddFontFile(FontName, file);
        return true;
    }
}

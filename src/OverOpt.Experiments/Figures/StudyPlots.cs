using ScottPlot;

namespace OverOpt.Experiments.Figures;

/// <summary>The sweep studies' figures (paper fig. 3, 4, 5, 6, 12, 26 and the like), PNG through ScottPlot as <see cref="CurvePlots"/> draws.</summary>
public static class StudyPlots
{
    /// <summary>Series of points with their intervals as error bars, and straight lines; one colour per labelled series.</summary>
    public static void Draw(string path, string title, string x, string y, IReadOnlyList<StudySeries> series, IReadOnlyList<StudyLine>? lines = null)
    {
        var plot = CurvePlots.NewPlot(title, x, y);
        var palette = new ScottPlot.Palettes.Category10();
        int colour = -1;
        foreach (var s in series)
        {
            if (!s.Background || colour < 0)
            {
                colour++;
            }
            var color = palette.GetColor(colour);
            var scatter = s.Joined ? plot.Add.Scatter(s.X, s.Y, color) : plot.Add.ScatterPoints(s.X, s.Y, color);
            scatter.MarkerSize = s.Background ? 4 : s.MarkerSize;
            if (s.Background)
            {
                scatter.Color = color.WithAlpha(0.45);
            }
            else
            {
                scatter.LegendText = s.Label;
            }
            if (s.Joined)
            {
                scatter.LineWidth = 2;
            }
            if (s.Low is not null && s.High is not null)
            {
                var keep = Enumerable.Range(0, s.X.Length).Where(i => double.IsFinite(s.Low[i]) && double.IsFinite(s.High[i])).ToArray();
                if (keep.Length > 0)
                {
                    var bars = plot.Add.ErrorBar(keep.Select(i => s.X[i]).ToArray(), keep.Select(i => s.Y[i]).ToArray(), keep.Select(i => 0.0).ToArray());
                    bars.YErrorPositive = keep.Select(i => s.High[i] - s.Y[i]).ToArray();
                    bars.YErrorNegative = keep.Select(i => s.Y[i] - s.Low[i]).ToArray();
                    bars.Color = color;
                }
            }
        }
        foreach (var l in lines ?? [])
        {
            var line = plot.Add.Line(l.X1, l.Y1, l.X2, l.Y2);
            line.Color = Colors.Gray;
            line.LineWidth = 1.5f;
            line.LinePattern = l.Dashed ? LinePattern.Dashed : LinePattern.Solid;
            line.LegendText = l.Label;
        }
        CurvePlots.Save(plot, path, Edge.Bottom);
    }

    /// <summary>A horizontal line across the x range of <paramref name="series"/> (e.g. the chance loss ln 2).</summary>
    public static StudyLine Horizontal(string label, double y, IReadOnlyList<StudySeries> series)
    {
        var xs = series.SelectMany(s => s.X).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        double pad = Math.Max(1e-9, 0.05 * (xs.Max() - xs.Min()));
        return new StudyLine(label, xs.Min() - pad, y, xs.Max() + pad, y);
    }

    /// <summary>y = x over the range both axes of <paramref name="series"/> span.</summary>
    public static StudyLine Identity(IReadOnlyList<StudySeries> series)
    {
        var values = series.SelectMany(s => s.X.Concat(s.Y).Concat(s.Low ?? []).Concat(s.High ?? [])).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        return new StudyLine("y = x", values.Min(), values.Min(), values.Max(), values.Max());
    }

    /// <summary>A fitted line y = intercept + slope x over the x range of <paramref name="series"/>.</summary>
    public static StudyLine Fitted(string label, double intercept, double slope, IReadOnlyList<StudySeries> series)
    {
        var xs = series.SelectMany(s => s.X).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        return new StudyLine(label, xs.Min(), intercept + slope * xs.Min(), xs.Max(), intercept + slope * xs.Max(), Dashed: false);
    }
}

using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Reporting;
using OverOpt.MLNet.BestOfN;

namespace OverOpt.Cli.Evaluation;

/// <summary>
/// The files of <c>overopt evaluate bon</c>, in the pipelines' layout: curves.csv and fits.csv (CurveTables), the
/// figures (CurvePlots) and report.md. Each is written atomically, and only after the evaluation succeeded.
/// </summary>
internal static class BestOfNEvaluationOutputs
{
    public static readonly string[] Files = [OutputFiles.Curves, OutputFiles.Fits, OutputFiles.BestOfNScoresFigure, OutputFiles.GoldAgainstProxyFigure, OutputFiles.Report];

    public static void Write(string folder, EvaluationInput input, BestOfNEvaluationResult result)
    {
        Directory.CreateDirectory(folder);
        var objectives = result.Objectives;
        CurveTables.WriteCurves(Path.Combine(folder, OutputFiles.Curves), objectives.SelectMany(o => o.Curve));
        CurveTables.WriteFits(Path.Combine(folder, OutputFiles.Fits), objectives.Select(o => new FitRow(o.Curve[0].Key, o.Fit)));
        string name = Path.GetFileName(input.Path);
        CurvePlots.ScoresAgainstD(Path.Combine(folder, OutputFiles.BestOfNScoresFigure), $"Best-of-n on {name}: gold and proxy against d",
            objectives.Select(o => (o.Label, o.Curve, (OverOpt.MLNet.Fits.GoldCurveFit?)o.Fit)).ToList());
        CurvePlots.GoldAgainstProxy(Path.Combine(folder, OutputFiles.GoldAgainstProxyFigure), $"Best-of-n on {name}: gold against proxy",
            objectives.Select(o => (o.Label, o.Curve)).ToList());
        BestOfNEvaluationReport.Write(Path.Combine(folder, OutputFiles.Report), input, result);
    }
}

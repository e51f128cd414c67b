using System.CommandLine;
using System.Globalization;
using CurveDefaults = OverOpt.MLNet.BestOfN.BestOfNOptions.Defaults;
using Defaults = OverOpt.MLNet.BestOfN.BestOfNEvaluationOptions.Defaults;
using Microsoft.ML;
using OverOpt.Cli.Evaluation;
using OverOpt.Cli.SampleFiles;
using OverOpt.MLNet;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt evaluate bon</c>: best-of-n curves, fits, figures and a report for samples scored anywhere.</summary>
internal static class EvaluateCommand
{
    public static Command Create() => new("evaluate", "Evaluate samples scored elsewhere (your own policy, proxies and gold).") { Bon() };

    private static Command Bon()
    {
        var data = new Option<string>("--data") { Description = $"The scored samples, one row per sample: {SampleFile.Formats}.", Required = true };
        var table = new Option<string?>("--table") { Description = "The table of samples, for a SQLite database." };
        var prompt = new Option<string>("--prompt-column") { Description = "Column of prompt ids (text or numbers); rows are grouped by it.", DefaultValueFactory = _ => Defaults.PromptColumnName };
        var proxies = new Option<string[]>("--proxy-column")
        {
            Description = "Proxy score column; repeat it (or list several) for an ensemble, which adds mean, worst-case and uncertainty-weighted curves.",
            DefaultValueFactory = _ => [Defaults.ProxyColumnName],
            AllowMultipleArgumentsPerToken = true,
        };
        var gold = new Option<string>("--gold-column") { Description = "Column of gold scores (or human labels).", DefaultValueFactory = _ => Defaults.GoldColumnName };
        var maxN = new Option<int?>("--max-n") { Description = "Largest n (default: the fewest samples any prompt has). Prompts with fewer samples are left out and named." };
        var points = new Option<int>("--points") { Description = "Points per curve, evenly spaced in d = sqrt(KL).", DefaultValueFactory = _ => CurveDefaults.Points };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples of prompts for 95% intervals.", DefaultValueFactory = _ => CurveDefaults.BootstrapResamples };
        var lambda = new Option<double>("--lambda") { Description = "lambda of the uncertainty-weighted objective mean - lambda * variance (population variance).", DefaultValueFactory = _ => Defaults.UncertaintyPenalty };
        var raw = new Option<bool>("--raw-scores") { Description = "Keep each score column on its own scale. By default each is first normalized to mean 0, std 1 over the samples, as ensembles (members on one scale) need. Either way every curve is re-centred so that n = 1 scores 0 (the R_bon fit has no intercept)." };
        var seed = CommonOptions.Seed();
        var output = new Option<string>("--output") { Description = "Folder for curves.csv, fits.csv, the figures and report.md.", DefaultValueFactory = _ => Path.Combine("runs", "evaluate-bon") };
        var command = new Command("bon", "Best-of-n curves (unbiased estimator, ties, analytic and measured KL, bootstrap intervals over prompts), R_bon fits, figures and a report from a file of scored samples.")
        {
            data, table, prompt, proxies, gold, maxN, points, bootstrap, seed, lambda, raw, output,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(data)!;
            var options = new BestOfNEvaluationOptions
            {
                PromptColumnName = parse.GetValue(prompt)!,
                ProxyColumnNames = parse.GetValue(proxies)!,
                GoldColumnName = parse.GetValue(gold)!,
                MaxN = parse.GetValue(maxN),
                Points = parse.GetValue(points),
                BootstrapResamples = parse.GetValue(bootstrap),
                Seed = parse.GetValue(seed),
                UncertaintyPenalty = parse.GetValue(lambda),
                NormalizeScores = !parse.GetValue(raw),
            };
            string folder = parse.GetValue(output)!;
            FileSystemProblem.RequireWritableFolder(folder, "--output");
            var ml = new MLContext(options.Seed);
            BestOfNEvaluationResult result;
            try
            {
                // The loaders are lazy: bad values surface while the evaluation reads, and are attributed to the file here.
                result = ml.Overoptimization().EvaluateBestOfN(SampleFile.Load(ml, path, parse.GetValue(table)), options);
            }
            catch (OverOptConfigurationException e) when (e.File is null)
            {
                throw e.InFile(path);
            }
            ReportLeftOut(result);
            var input = new EvaluationInput(path, parse.GetValue(table), options);
            BestOfNEvaluationOutputs.Write(folder, input, result);
            PrintSummary(result, folder);
            return 0;
        });
        return command;
    }

    private static void ReportLeftOut(BestOfNEvaluationResult result)
    {
        const int Named = 20;
        var left = result.LeftOutPrompts;
        if (left.Count > 0)
        {
            string names = string.Join(", ", left.Take(Named).Select(p => $"'{p.PromptId}' ({p.Samples})"));
            string more = left.Count > Named ? $", and {left.Count - Named} more (all in report.md)" : "";
            Console.Error.WriteLine($"overopt: left out {left.Count} prompt(s) with fewer than n = {result.MaxN} samples: {names}{more}.");
        }
        if (result.Prompts < 2)
        {
            Console.Error.WriteLine("overopt: one prompt evaluated: its curves have no 95% intervals (left empty), since a bootstrap over prompts needs at least 2 prompts.");
        }
        if (result.RepeatedRows > 0)
        {
            Console.Error.WriteLine($"overopt: {result.RepeatedRows} row(s) repeat an earlier row of their prompt exactly (same id and scores); kept as samples, since a policy can repeat a response.");
        }
    }

    private static void PrintSummary(BestOfNEvaluationResult result, string folder)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "{0} prompts, {1} samples, n up to {2}:", result.Prompts, result.Samples, result.MaxN));
        foreach (var o in result.Objectives)
        {
            var peak = o.Curve[o.Verdict.PeakIndex];
            Console.WriteLine(string.Format(c, "  {0}: alpha {1:F3}, beta {2:F3}; gold peaks at n = {3} ({4:F3}), {5:F3} at n = {6}; overoptimized: {7}",
                o.Label, o.Fit.Alpha, o.Fit.Beta, peak.N, o.Verdict.PeakGold, o.Verdict.LastGold, result.MaxN, o.Verdict.Overoptimized ? "yes" : "no"));
        }
        Console.WriteLine($"wrote {string.Join(", ", BestOfNEvaluationOutputs.Files.Select(f => Path.Combine(folder, f)))}");
    }
}

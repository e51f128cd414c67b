using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Pipelines;
using OverOpt.Experiments.Settings;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt run [pipeline]</c>: runs a declarative experiment file.</summary>
internal static class RunCommand
{
    public const string DefaultPipeline = "pipelines/quick.json";

    public static Command Create()
    {
        var pipeline = new Argument<string?>("pipeline")
        {
            Description = $"Pipeline file (JSON). Without one: {DefaultPipeline} if it exists, else the embedded defaults.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string?>("--output") { Description = "Results folder (default: runs/<pipeline name>)." };
        var cache = CommonOptions.Cache();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("run", "Run a pipeline: pretrain (or reuse) the policies, train gold and proxies, run best-of-n and PPO, write CSV, JSON, PNG and report.md.")
        {
            pipeline, output, cache, device, threads,
        };
        command.SetAction(parse =>
        {
            string? file = parse.GetValue(pipeline);
            if (file is null && File.Exists(DefaultPipeline))
            {
                file = DefaultPipeline;
            }
            var definition = file is null ? new PipelineDefinition() : PipelineLoader.Load(file);
            var run = new PipelineRunOptions
            {
                OutputDirectory = parse.GetValue(output),
                CacheDirectory = parse.GetValue(cache)!,
                Device = CommonOptions.Prepare(parse, device, threads),
                Progress = new ConsoleProgress(),
                Log = line => Console.Error.WriteLine($"overopt: {line}"),
            };
            Console.Error.WriteLine($"overopt: running pipeline '{definition.Name}' from {file ?? "embedded defaults"}");
            var result = new PipelineRunner(new MLContext(definition.Seed)).Run(definition, run);
            Print(result);
            return 0;
        });
        return command;
    }

    private static void Print(PipelineResult result)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"pipeline {result.Pipeline} (seed {result.Seed}), corpus {result.Corpus}, vocabulary {result.VocabularySize}");
        Console.WriteLine("policy     parameters  held-out loss (before -> after)  train s  cached");
        foreach (var p in result.Policies)
        {
            Console.WriteLine(string.Format(c, "{0,-10} {1,10:N0}  {2,8:F3} -> {3,-8:F3}                {4,7:F1}  {5}", p.Name, p.Parameters, p.InitialValidationLoss, p.ValidationLoss, p.TrainingSeconds, p.FromCache ? "yes" : "no"));
        }
        Console.WriteLine(string.Format(c, "sampled {0} responses at {1:N0} tokens/s; mean KL(pi || pi_init) = {2:G3}", result.SampledResponses, result.SampledTokensPerSecond, result.MeanResponseKl));
        if (result.RewardModels.Count > 0)
        {
            Console.WriteLine("reward model       kind         parameters  val. loss  val. acc.  cached");
            foreach (var m in result.RewardModels)
            {
                Console.WriteLine(string.Format(c, "{0,-18} {1,-12} {2,10:N0}  {3,9:F3}  {4,9:F3}  {5}", m.Name, m.Kind, m.Parameters, m.ValidationLoss, m.ValidationAccuracy, m.FromCache ? "yes" : "no"));
            }
        }
        if (result.BestOfN.Count > 0)
        {
            Console.WriteLine("best-of-n fit R(d) = d(alpha - beta d)   alpha    beta     R^2   fitted d*  observed peak n (gold)  gold at max n  overoptimized");
            foreach (var b in result.BestOfN)
            {
                Console.WriteLine(string.Format(c, "{0,-40} {1,6:F3}  {2,6:F3}  {3,6:F3}  {4,9:F2}  {5,6} ({6:F3})          {7,8:F3}       {8}",
                    b.Proxy, b.Fit.Alpha, b.Fit.Beta, b.Fit.RSquared, b.Fit.PeakD, b.PeakN, b.Verdict.PeakGold, b.Verdict.LastGold, b.Verdict.Overoptimized ? "yes" : "no"));
            }
        }
        if (result.Ppo.Count > 0)
        {
            Console.WriteLine("PPO, seed means: R(d) = d(alpha - beta ln d)   KL coef.  alpha    beta   shared-alpha beta  peak step (gold [95%])          final gold  final proxy  final KL  overoptimized  seconds");
            foreach (var p in result.Ppo)
            {
                Console.WriteLine(string.Format(c, "{0,-40} {1,8:G3}  {2,6:F3}  {3,6:F3}  {4,17:F3}  {5,6} ({6:F3} [{7:F3}, {8:F3}])  {9,10:F3}  {10,11:F3}  {11,8:F2}  {12,-13}  {13,7:F0}",
                    $"{p.Proxy} (seeds {string.Join(",", p.Seeds)})", p.KlCoefficient, p.Fit?.Alpha ?? double.NaN, p.Fit?.Beta ?? double.NaN, p.SharedAlphaFit?.Beta ?? double.NaN,
                    p.PeakStep, p.Verdict.PeakGold, p.Verdict.PeakCiLow, p.Verdict.PeakCiHigh, p.Verdict.LastGold, p.FinalProxy, p.FinalKl, p.Verdict.Overoptimized ? "yes" : "no", p.Seconds));
            }
            foreach (var f in result.RlFindings)
            {
                Console.WriteLine($"finding: {f.VerdictText}: {f.Statement}. {f.Numbers}");
            }
        }
        Console.WriteLine(string.Format(c, "wall time {0:F1} s; results in {1}", result.WallSeconds, result.OutputDirectory));
    }
}

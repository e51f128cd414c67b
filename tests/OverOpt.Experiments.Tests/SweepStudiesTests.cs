using System.Globalization;
using System.Text;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.Experiments.Sweeps.Storage;

namespace OverOpt.Experiments.Tests;

/// <summary>
/// The studies of sweep-report.md on a database written by hand with the merge's schema: the slope of a coefficient
/// against log10(params) and its interval come from the per-seed points (checked against a hand computation; points on
/// a line give that slope and an interval of zero width), and findings the sweep cannot address are "not measured".
/// </summary>
public sealed class SweepStudiesTests : IDisposable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly SweepTestFiles _files = new("overopt-studies-");

    [Fact]
    public void SlopesAndIntervalsComeFromThePerSeedPointsAndUnmeasuredFindingsSaySo()
    {
        // 2 sizes (10^3 and 10^5 parameters) x 2 proxy seeds, one task each, all on 1,000 comparisons.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "proxySeed": [1, 2], "sampling.temperature": [0.9, 1.0] }"""));
        var layout = new SweepLayout(_files.Output);
        // alpha_bon per seed: 0.5 and 0.7 at x = 3, 0.3 and 0.5 at x = 5; beta_bon exactly 0.5 - 0.05 x.
        var alphas = new Dictionary<(long, int), double> { [(1000, 1)] = 0.5, [(1000, 2)] = 0.7, [(100000, 1)] = 0.3, [(100000, 2)] = 0.5 };
        foreach (var task in sweep.Tasks)
        {
            int proxySeed = task.Pipeline.ProxySeed!.Value;
            long parameters = task.Pipeline.Sampling.Temperature < 0.95 ? 1000 : 100000;
            double a = alphas[(parameters, proxySeed)], b = 0.5 - 0.05 * Math.Log10(parameters);
            Finish(layout, task, parameters, proxySeed, a, b, validationLoss: 0.69 - 0.01 * proxySeed - 0.001 * Math.Log10(parameters));
        }
        var merged = SweepDatabase.Merge(sweep, layout, t => $"rerun {t.Index}");

        string report = SweepReport.Write(merged.DatabasePath, layout.ReportPath);
        var result = SweepStudies.Analyze(merged.DatabasePath, layout.Root);

        // beta_bon lies on a line: its slope exactly, an interval of zero width.
        var beta = result.SizeLines["beta_bon"];
        Assert.Equal(-0.05, beta.Slope, 12);
        Assert.Equal(0, beta.SlopeHigh - beta.SlopeLow, 12);
        Assert.Equal(4, beta.Points);
        // alpha_bon by hand: slope (0.4 - 0.6) / 2 = -0.1; residuals +-0.1, SSR = 0.04 on n - 2 = 2 degrees of freedom,
        // Sxx = 4, so SE = sqrt(0.02 / 4) and the interval is -0.1 +- t(0.975, 2) SE = -0.1 +- 4.303 x 0.0707107.
        var alpha = result.SizeLines["alpha_bon"];
        double half = 4.303 * Math.Sqrt(0.02 / 4);
        Assert.Equal(-0.1, alpha.Slope, 12);
        Assert.Equal(-0.1 - half, alpha.SlopeLow, 9);
        Assert.Equal(-0.1 + half, alpha.SlopeHigh, 9);
        Assert.Equal(0.6 + 0.1 * 3, alpha.Intercept, 12);

        string text = File.ReadAllText(report);
        Assert.Contains("## Findings", text);
        Assert.Contains("| 1 | beta_bon falls as reward models grow (fig. 3) | holds | beta_bon: slope -0.050 [-0.050, -0.050] per decade (4 points", text);
        // One comparison count: every data-size finding is not measured, and says why.
        Assert.Matches(@"\| 3 \| more comparisons give higher gold \(fig\. 4, 13\) \| not measured \| no proxy size was trained on more than one comparison count \(counts in the sweep: 1,000\) \|", text);
        Assert.Contains("| 7 | a larger KL penalty stops at a smaller KL", text);
        Assert.DoesNotContain("| 7 | a larger KL penalty stops at a smaller KL: the penalty acts like early stopping (fig. 14) | holds", text);
        // The advance prediction of a curve that follows the form exactly is exact.
        Assert.Contains("| BoN form | the best-of-n form fitted on low KL (n <= 64) predicts gold at the largest n (fig. 26) | holds | 2 of 2 configurations", text);
        foreach (string figure in new[] { RewardModelSizeStudy.AlphaBonFigure, RewardModelSizeStudy.BetaBonFigure, RewardModelSizeStudy.PeakFigure, RewardModelSizeStudy.BonCurvesFigure, AdvancePredictionStudy.Figure, ValidationLossStudy.Figure })
        {
            Assert.True(File.Exists(Path.Combine(layout.Root, figure)), figure);
            Assert.Contains($"]({figure})", text);
        }
    }

    /// <summary>beta_bon by (parameters, proxy seed) for the step tests: a fall carried by the first of three sizes.</summary>
    private static readonly Dictionary<(long, int), double> SteppedBetas = new()
    {
        [(1000, 1)] = 0.5, [(10000, 1)] = 0.2, [(100000, 1)] = 0.2, [(1000, 2)] = 0.6, [(10000, 2)] = 0.3, [(100000, 2)] = 0.2,
    };

    /// <summary>The step tests' proxy size, carried by the sampling temperature axis: 0.8, 0.9, 1.0 give 10^3, 10^4, 10^5.</summary>
    private static long StepSizeOf(SweepTask task) => (long)Math.Round(Math.Pow(10, 3 + Math.Round((task.Pipeline.Sampling.Temperature - 0.8) * 10)));

    [Fact]
    public void EachSizeStepIsPairedByReplicateAndTheLineIsAlsoFittedWithoutTheSmallestSize()
    {
        // 3 sizes (10^3, 10^4, 10^5) x 2 proxy seeds. beta_bon: seed 1 0.5, 0.2, 0.2; seed 2 0.6, 0.3, 0.2 - a fall
        // carried by the first step.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "proxySeed": [1, 2], "sampling.temperature": [0.8, 0.9, 1.0] }"""));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int proxySeed = task.Pipeline.ProxySeed!.Value;
            long parameters = StepSizeOf(task);
            Finish(layout, task, parameters, proxySeed, alpha: 1.0, SteppedBetas[(parameters, proxySeed)], validationLoss: 0.68);
        }

        string text = MergedReport(sweep, layout);

        // 10^3 to 10^4: -0.3 on both replicates (an interval of zero width); 10^4 to 10^5: 0 and -0.1, mean -0.05 with
        // half-width t(0.975, 1) x 0.1 / 2 = 12.706 x 0.05; from 10^4 up the line falls 0.05 per decade.
        Assert.Contains("| p1000 (1,000) to p10000 (10,000) | -0.300 [-0.300, -0.300] (2) |", text);
        Assert.Contains("| p10000 (10,000) to p100000 (100,000) | -0.050 [-0.685, 0.585] (2) |", text);
        Assert.Matches(@"\| line from p10000 \(10,000\) up, per decade \| -0\.0500 \[-0\.\d+, 0\.\d+\] \(4 points, R\^2 of the size means 1\.00\) \|", text);
    }

    [Fact]
    public void WorldSeedsAreReplicatesOfTheirOwnAndEachWorldGetsItsOwnSizeLines()
    {
        // 2 worlds x 2 sizes x 2 proxy seeds; the tasks of the two worlds write curves with the same keys (pipeline seed 1),
        // so only the world tells them apart. beta_bon falls exactly 0.05 per decade in world 1 and 0.03 in world 2.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline,
            """{ "world": [ { "version": "storyworld-1", "seed": 1 }, { "version": "storyworld-1", "seed": 2 } ], "proxySeed": [1, 2], "sampling.temperature": [0.9, 1.0] }"""));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int proxySeed = task.Pipeline.ProxySeed!.Value;
            long parameters = task.Pipeline.Sampling.Temperature < 0.95 ? 1000 : 100000;
            double perDecade = task.Pipeline.World!.Seed == 1 ? 0.05 : 0.03;
            Finish(layout, task, parameters, proxySeed, 0.5 + 0.1 * proxySeed, 0.5 - perDecade * Math.Log10(parameters), validationLoss: 0.69 - 0.001 * Math.Log10(parameters));
        }
        var merged = SweepDatabase.Merge(sweep, layout, t => $"rerun {t.Index}");

        string report = SweepReport.Write(merged.DatabasePath, layout.ReportPath);
        var result = SweepStudies.Analyze(merged.DatabasePath, layout.Root);

        // Pooled: all 8 curves are replicates (none dropped as a duplicate of the other world's), slope the mean of the two.
        Assert.Equal(8, result.SizeLines["beta_bon"].Points);
        Assert.Equal(-0.04, result.SizeLines["beta_bon"].Slope, 12);
        string text = File.ReadAllText(report);
        Assert.Contains("## Reward-model size on each world seed", text);
        Assert.Contains("| storyworld-1:1 | -0.0010 [-0.0010, -0.0010] | -0.0500 [-0.0500, -0.0500] |", text);
        Assert.Contains("| storyworld-1:2 | -0.0010 [-0.0010, -0.0010] | -0.0300 [-0.0300, -0.0300] |", text);
        // Both worlds fall, each with a zero-width interval: the law holds on every world seed. No PPO: beta_RL says so.
        Assert.Matches(@"\| 1 \| beta_bon falls as reward models grow, on every world seed \(fig\. 3\) \| holds \| storyworld-1:1: -0\.0500 .*; mean over worlds -0\.0400 \[", text);
        Assert.Contains("| 1 | validation loss falls as reward models grow, on every world seed (fig. 6) | holds |", text);
        Assert.Contains("beta_RL falls as reward models grow, on every world seed (fig. 3) | not measured |", text);
        // No gold plus noise here: the ceiling finding is not measured, under its own spec column.
        Assert.Contains("| world | gold has no ceiling within best-of-n's reach", text);
        Assert.DoesNotContain("| 8 | gold has no ceiling", text);
        Assert.True(File.Exists(Path.Combine(layout.Root, "world-storyworld-1-2", RewardModelSizeStudy.BetaBonFigure)));
        Assert.Contains("](world-storyworld-1-2/" + RewardModelSizeStudy.BetaBonFigure + ")", text);
    }

    [Fact]
    public void EachWorldAlsoGetsItsLinesWithoutTheSmallestSize()
    {
        // 2 worlds x 3 sizes (10^3, 10^4, 10^5) x 2 proxy seeds. World 1: beta_bon falls by one step at the smallest size
        // (seed 1 0.5, 0.2, 0.2; seed 2 0.6, 0.3, 0.2), from 10^4 up -0.05 per decade; world 2: exactly 0.03 per decade.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline,
            """{ "world": [ { "version": "storyworld-1", "seed": 1 }, { "version": "storyworld-1", "seed": 2 } ], "proxySeed": [1, 2], "sampling.temperature": [0.8, 0.9, 1.0] }"""));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int proxySeed = task.Pipeline.ProxySeed!.Value;
            long parameters = StepSizeOf(task);
            double beta = task.Pipeline.World!.Seed == 1 ? SteppedBetas[(parameters, proxySeed)] : 0.5 - 0.03 * Math.Log10(parameters);
            Finish(layout, task, parameters, proxySeed, alpha: 1.0, beta, validationLoss: 0.68);
        }

        string text = MergedReport(sweep, layout);

        Assert.Contains("| world | beta_bon slope without the smallest size [95%] | bon peak gold slope without the smallest size [95%] |", text);
        Assert.Matches(@"\| storyworld-1:1 \| -0\.0500 \[-0\.\d+, 0\.\d+\] \| ", text);
        Assert.Matches(@"\| storyworld-1:2 \| -0\.0300 \[-0\.0300, -0\.0300\] \| ", text);
        Assert.Contains("Mean of the per-world slopes without the smallest size [95% over worlds]: beta_bon: -0.0400 [", text);
    }

    [Fact]
    public void DataSizeLawsAreJudgedOnEachWorldSeedAndHoldOnlyWhereEveryWorldShowsThem()
    {
        // 2 worlds x 2 proxy seeds; in each task 2 sizes x 3 comparison counts of best-of-n. Gold grows with data in both
        // worlds; in world 1 the larger proxy gains faster (0.6 against 0.2 of alpha per decade), in world 2 both gain alike.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline,
            """{ "world": [ { "version": "storyworld-1", "seed": 1 }, { "version": "storyworld-1", "seed": 2 } ], "proxySeed": [1, 2] }"""));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int seed = task.Pipeline.ProxySeed!.Value;
            bool fasterForLarger = task.Pipeline.World!.Seed == 1;
            var (curves, models) = DataGrid(seed, parameters => fasterForLarger ? LargerGainsFaster(parameters) : 0.2);
            Complete(layout, task, ("curves.csv", curves.ToString()), ("reward_models.csv", models.ToString()), ("policies.csv", "policy,shape,parameters\na,1x16,5000\n"));
        }
        string text = MergedReport(sweep, layout);

        Assert.Contains("## Data size on each world seed", text);
        Assert.Contains("| more comparisons give higher gold: gold's best-of-n peak rises with log10(comparisons) for every size (fig. 4, 13) | holds | holds |", text);
        Assert.Contains("| larger reward models improve faster past the threshold: gold's peak rises faster with log10(comparisons) for the largest size than for the smallest (fig. 13, 17) | holds | does not hold |", text);
        Assert.Contains("| 3 | on every world seed: more comparisons give higher gold: gold's best-of-n peak rises with log10(comparisons) for every size (fig. 4, 13) | holds |", text);
        Assert.Matches(@"\| 3 \| on every world seed: larger reward models improve faster past the threshold: [^|]* \| does not hold \| world storyworld-1:1 holds \([^|]*\); world storyworld-1:2 does not hold \([^|]*\); criterion: it holds on each of the 2 worlds \|", text);
        Assert.Contains("Chance threshold by world: storyworld-1:1: 500 comparisons; storyworld-1:2: 500 comparisons.", text);
        Assert.True(File.Exists(Path.Combine(layout.Root, "world-storyworld-1-2", DataSizeStudy.PeakGoldFigure)));
        Assert.Contains("](world-storyworld-1-1/" + DataSizeStudy.PeakGoldFigure + ")", text);
    }

    [Fact]
    public void DataSizePolicySizeAndKlPenaltyAreMeasuredWhereTheDatabaseHasThem()
    {
        // Two replicates (pipeline seeds); in each: 2 sizes x 3 comparison counts of best-of-n on policy "a", the same
        // proxy for a larger policy "b", and PPO at KL coefficients 0 and 0.1.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2] }"""));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int seed = task.Pipeline.Seed;
            var (curves, models) = DataGrid(seed, LargerGainsFaster);
            BonCurve(curves, "b", "p1000-c8000", 1000, 8000, seed, 0.2 + 0.01 * seed, 0.3);
            models.Append(C, $"b,p1000-c8000,transformer,1000,8000,0.65,{seed}\n");
            foreach (double beta in new[] { 0.0, 0.1 })
            {
                // RL: KL grows as step x 0.5, slower under the penalty; gold = d(1 - 0.5 ln d) whatever the penalty, +-0.05 by seed.
                foreach (int step in new[] { 0, 10, 20, 40, 80 })
                {
                    double kl = step * (beta == 0 ? 0.5 : 0.1) + 0.001 * seed, d = Math.Sqrt(kl), gold = d * (1 - 0.5 * Math.Log(d)) + 0.1 * (seed - 1.5);
                    curves.Append(C, $"ppo,a,p1000-c8000,transformer,1000,8000,{beta:R},1,1,{step},{kl:R},{d:R},{2 * d:R},{gold:R},{gold - 0.2:R},{gold + 0.2:R},{seed}\n");
                }
            }
            Complete(layout, task, ("curves.csv", curves.ToString()), ("reward_models.csv", models.ToString()),
                ("policies.csv", "policy,shape,parameters\na,1x16,5000\nb,2x32,40000\n"));
        }
        var merged = SweepDatabase.Merge(sweep, layout, t => $"rerun {t.Index}");

        string text = File.ReadAllText(SweepReport.Write(merged.DatabasePath, layout.ReportPath));
        var result = SweepStudies.Analyze(merged.DatabasePath, layout.Root);

        Assert.Equal(500, result.ChanceThreshold);
        Assert.Contains("Every size stays within 0.01 of ln 2 up to 500 comparisons; at 2,000 at least one leaves it.", text);
        Assert.Contains("| 3 | more comparisons give higher gold: gold's best-of-n peak rises with log10(comparisons) for every size (fig. 4, 13) | holds |", text);
        Assert.Contains("| 3 | below a threshold every reward model stays near chance loss (within 0.01 of ln 2) and gains little gold, and past it they leave chance (fig. 6, 10) | holds |", text);
        // Past the threshold each size's gain and its excess over the next smaller size: the larger proxy gains three times as much alpha a decade.
        // Both sizes' loss falls 0.01 a decade exactly, so it neither differs nor spreads.
        Assert.Contains("Past the threshold, from 2,000 comparisons: how fast each size's gold peak rises and its validation loss falls per decade of comparisons", text);
        Assert.Contains("| proxy (params) | peak gold per decade of comparisons | minus the next smaller size | val. loss per decade of comparisons | minus the next smaller size |", text);
        Assert.Matches(@"\| [^|]*1,000[^|]* \| \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] \|  \| -0\.0100 \[-0\.0100, -0\.0100\] \|  \|", text);
        Assert.Matches(@"\| [^|]*100,000[^|]* \| \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] \| 0\.\d{3} \[0\.\d{3}, \d\.\d{3}\] \| -0\.0100 \[-0\.0100, -0\.0100\] \| [-]?0\.0000 \[[-]?0\.0000, [-]?0\.0000\] \|", text);
        Assert.Contains("| 5 | a bigger policy gains less gold from the same reward model (fig. 7) | holds |", text);
        Assert.Contains("| 7 | a larger KL penalty stops at a smaller KL: the penalty acts like early stopping (fig. 14) | holds |", text);
        Assert.Contains("| 7 | gold as a function of KL is unchanged by the penalty: the frontier does not improve (fig. 9) | holds |", text);
        foreach (string figure in new[] { DataSizeStudy.ValidationLossFigure, DataSizeStudy.PeakGoldFigure, DataSizeStudy.LastGoldFigure, DataSizeStudy.AlphaFigure, DataSizeStudy.BetaFigure,
            "study-data-gold-vs-d-1000.png", "study-data-gold-vs-d-100000.png", PolicySizeStudy.Figure, KlPenaltyStudy.GoldFigure, KlPenaltyStudy.KlFigure })
        {
            Assert.True(File.Exists(Path.Combine(layout.Root, figure)), figure);
            Assert.Contains($"]({figure})", text);
        }
    }

    [Fact]
    public void RepeatedDataIsSetBesideMoreDataAndKeptOutOfTheDataSizeStudy()
    {
        // One size, 4 epochs on 900 and 3,600 comparisons, and 16 epochs on 900 (as many comparisons seen as 3,600 x 4),
        // each on proxy seeds 1 and 2.
        const string proxies = """
            [ [ { "name": "p", "kind": "transformer", "layers": 1, "modelDim": 8, "heads": 2, "epochs": 4 } ],
              [ { "name": "p-e16", "kind": "transformer", "layers": 1, "modelDim": 8, "heads": 2, "epochs": 16 } ] ]
            """;
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, $$"""{ "proxies": {{proxies}}, "comparisons.count": [1000, 4000], "proxySeed": [1, 2] }"""));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int seed = task.Pipeline.ProxySeed!.Value;
            string name = task.Pipeline.Proxies[0].Name;
            long count = task.Pipeline.Comparisons.Count * 9 / 10;
            // Gold's peak is alpha^2 / (4 beta) at beta 0.3: more data peaks higher than the same data repeated.
            double alpha = (name, count) switch { ("p", 900) => 0.8, ("p", _) => 1.2, (_, 900) => 0.9, _ => 1.3 };
            var curves = new StringBuilder(CurvesHeader);
            BonCurve(curves, "a", name, 1000, count, seed, alpha + 0.01 * seed, 0.3);
            Complete(layout, task, ("curves.csv", curves.ToString()),
                ("reward_models.csv", string.Create(C, $"policy,name,kind,parameters,training_comparisons,validation_loss,proxy_seed\na,{name},transformer,1000,{count},0.66,{seed}\n")));
        }
        string text = MergedReport(sweep, layout);

        Assert.Contains("| 3 | repeating small data for more epochs does not substitute for more data (fig. 13) | holds | 1 of 1 pairs: p-e16 (1,000) 900 x 16:", text);
        Assert.Contains("| p-e16 (1,000) | 900 x 16 | 2 |", text);
        Assert.True(File.Exists(Path.Combine(layout.Root, DataRepetitionStudy.Figure)));
        // The 16-epoch runs are not replicates of the data-size study: its table has the two 4-epoch counts only.
        string dataSize = text[text.IndexOf("## Data size", StringComparison.Ordinal)..text.IndexOf("## Repeated data", StringComparison.Ordinal)];
        Assert.Equal(2, dataSize.Split('\n').Count(l => l.StartsWith("| p (1,000) |", StringComparison.Ordinal)));
        Assert.DoesNotContain("p-e16", dataSize);
    }

    [Fact]
    public void GoldPlusNoiseIsJudgedAgainstEquationOneAndKeptOutOfTheOtherStudies()
    {
        // Three noise seeds; in each, best-of-n against a Gaussian-noise proxy whose gold rises 0.45, 0.50 or 0.55 per unit
        // of its proxy (eq. 1 predicts 0.5), and against a Student's t proxy whose gold rises then falls.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.RewardPipeline, """
            { "proxySeed": [1, 2, 3], "proxies": [ [
              { "name": "normal-1", "kind": "noisyGold", "noise": 1.0 },
              { "name": "t2", "kind": "noisyGold", "noise": 0.5, "noiseDistribution": "studentT", "degreesOfFreedom": 2 } ] ] }
            """));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int seed = task.Pipeline.ProxySeed!.Value;
            var curves = new StringBuilder(CurvesHeader);
            foreach (int n in new[] { 1, 4, 16, 64, 256, 1000 })
            {
                double kl = Math.Log(n) - (n - 1.0) / n, d = Math.Sqrt(kl), proxy = 2 * d, gold = (0.4 + 0.05 * seed) * proxy, tGold = d * (1 - 0.6 * d);
                curves.Append(C, $"bon,a,normal-1,noisyGold,0,200,0,1,{n},,{kl:R},{d:R},{proxy:R},{gold:R},{gold - 0.01:R},{gold + 0.01:R},{seed}\n");
                curves.Append(C, $"bon,a,t2,noisyGold,0,200,0,1,{n},,{kl:R},{d:R},{proxy:R},{tGold:R},{tGold - 0.01:R},{tGold + 0.01:R},{seed}\n");
            }
            Complete(layout, task, ("curves.csv", curves.ToString()), ("reward_models.csv", string.Create(C,
                $"policy,name,kind,parameters,training_comparisons,validation_loss,proxy_seed,predicted_gold_slope\na,normal-1,noisyGold,0,200,0.6,{seed},0.5\na,t2,noisyGold,0,200,0.65,{seed},0\n")));
        }
        string text = MergedReport(sweep, layout);

        // Per-seed slopes 0.45, 0.50, 0.55 exactly: mean 0.5, half-width t(0.975, 2) x 0.05 / sqrt(3) = 0.124.
        Assert.Contains("| normal-1 | bon | normal | 3 | 0.500 | 0.500 [0.376, 0.624] |", text);
        Assert.Contains("| 8 | regressional Goodhart alone (proxy = gold + independent Gaussian noise): gold never falls, under best-of-n or PPO (sec. 4.2) | holds |", text);
        Assert.Contains("| 8 | under best-of-n, gold rises by Var X / (Var X + Var Z) per unit of the proxy's rise, Var X gold's variance within a prompt (eq. 1) | holds |", text);
        Assert.Contains("| 8 | heavy-tailed noise (Student's t) is exploited although it is unbiased: best-of-n's gold falls (extremal Goodhart) | holds | t2 (bon): gold falls on 3 of 3 seeds", text);
        Assert.True(File.Exists(Path.Combine(layout.Root, RegressionalGoodhartStudy.BestOfNFigure)));
        // The learned-proxy studies see no curve: gold plus noise is no reward-model size.
        Assert.Contains("| 1 | beta_bon falls as reward models grow (fig. 3) | not measured |", text);
    }

    [Fact]
    public void GoldAsItsOwnProxyTellsWhetherGoldHasACeilingOnItsPipelineSeedsNotItsProxySeeds()
    {
        // Gold as its own proxy (noise 0) on pipeline seeds 1-3 x proxy seeds 1-2. Its gold bends, d(1.3 - beta d) with beta
        // 0.19 + 0.01 seed, as a capped taste does; the proxy seed changes nothing, as with no noise it cannot.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.RewardPipeline, """
            { "seed": [1, 2, 3], "proxySeed": [1, 2], "proxies": [ [ { "name": "oracle", "kind": "noisyGold", "noise": 0 } ] ] }
            """));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            long seed = task.Pipeline.Seed;
            int proxySeed = task.Pipeline.ProxySeed!.Value;
            var curves = new StringBuilder(CurvesHeader);
            foreach (int n in new[] { 1, 4, 16, 64, 256, 1000 })
            {
                double kl = Math.Log(n) - (n - 1.0) / n, d = Math.Sqrt(kl), gold = d * (1.3 - (0.19 + 0.01 * seed) * d);
                curves.Append(C, $"bon,a,oracle,noisyGold,0,200,0,{seed},{n},,{kl:R},{d:R},{gold:R},{gold:R},{gold - 0.01:R},{gold + 0.01:R},{proxySeed}\n");
            }
            Complete(layout, task, ("curves.csv", curves.ToString()), ("reward_models.csv", string.Create(C,
                $"policy,name,kind,parameters,training_comparisons,validation_loss,proxy_seed,predicted_gold_slope\na,oracle,noisyGold,0,200,0.6,{proxySeed},1\n")));
        }
        string text = MergedReport(sweep, layout);

        // Three replicates (the pipeline seeds), not six: betas 0.20, 0.21, 0.22, so 0.21 +- t(0.975, 2) x 0.01 / sqrt(3) = 0.025.
        Assert.Contains("| world | gold has no ceiling within best-of-n's reach: gold as its own proxy (noise 0) keeps rising, its fitted beta_bon's interval reaching 0, so that a proxy's beta_bon measures overoptimization, not the approach to a ceiling | does not hold | oracle: beta_bon 0.210 [0.185, 0.235] over 3 (world, pipeline seed) replicate(s);", text);
    }

    [Fact]
    public void BetaBonBeyondTheCeilingIsEachProxysBendMinusItsLaddersAtTheSameAlpha()
    {
        // World seeds 1-2 x proxy seeds 1-3. The noise ladder bends more the better it is, as under a ceiling: noise 1 d(0.8 - 0.05 d), noise
        // 0.5 d(1.1 - 0.15 d). The 100-parameter proxy has alpha 0.8 and beta 0.10 + 0.01 seed (0.05 beyond the ceiling),
        // the 1,000-parameter one alpha 1.1 and beta 0.16 + 0.01 seed (0.01 beyond): beta_bon rises with size, the excess
        // falls by 0.04 per decade. A third size, alpha 1.3, lies above the ladder: it has no reference and is counted.
        // A rung that stops at n = 256 (best-of-n of another reach) sits at the small proxy's alpha: paired, it would move
        // that reference.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.RewardPipeline, """
            { "world": [ { "version": "storyworld-1", "seed": 1 }, { "version": "storyworld-1", "seed": 2 } ], "proxySeed": [1, 2, 3], "proxies": [ [
              { "name": "small", "kind": "transformer", "layers": 1, "modelDim": 8, "heads": 2, "epochs": 1 },
              { "name": "large", "kind": "transformer", "layers": 1, "modelDim": 16, "heads": 2, "epochs": 1 },
              { "name": "huge", "kind": "transformer", "layers": 1, "modelDim": 32, "heads": 2, "epochs": 1 },
              { "name": "n1", "kind": "noisyGold", "noise": 1 },
              { "name": "n0.5", "kind": "noisyGold", "noise": 0.5 },
              { "name": "n0.7", "kind": "noisyGold", "noise": 0.7 } ] ] }
            """));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int seed = task.Pipeline.ProxySeed!.Value;
            var curves = new StringBuilder(CurvesHeader);
            foreach (int n in new[] { 1, 4, 16, 64, 256, 1000 })
            {
                double kl = Math.Log(n) - (n - 1.0) / n, d = Math.Sqrt(kl);
                foreach (var (proxy, kind, parameters, alpha, beta) in new[]
                {
                    ("small", "transformer", 100, 0.8, 0.10 + 0.01 * seed), ("large", "transformer", 1000, 1.1, 0.16 + 0.01 * seed),
                    ("huge", "transformer", 10000, 1.3, 0.2), ("n1", "noisyGold", 0, 0.8, 0.05), ("n0.5", "noisyGold", 0, 1.1, 0.15),
                    ("n0.7", "noisyGold", 0, 0.8, 0.9),
                })
                {
                    if (proxy == "n0.7" && n > 256)
                    {
                        continue;
                    }
                    double gold = d * (alpha - beta * d);
                    curves.Append(C, $"bon,a,{proxy},{kind},{parameters},200,0,1,{n},,{kl:R},{d:R},{2 * d:R},{gold:R},{gold - 0.01:R},{gold + 0.01:R},{seed}\n");
                }
            }
            Complete(layout, task, ("curves.csv", curves.ToString()));
        }
        string text = MergedReport(sweep, layout);

        Assert.Contains("## beta_bon beyond the ceiling (fig. 3 against gold plus noise)", text);
        Assert.Matches(@"\| 1 \| beta_bon falls as reward models grow \(fig\. 3\) \| does not hold \|", text);
        Assert.Contains("| 1 | beta_bon beyond the ceiling falls as reward models grow: a transformer proxy's beta_bon minus that of gold plus Gaussian noise at the same alpha_bon on the same samples (fig. 3, the ceiling's share removed) | holds | beta_bon beyond the ceiling: slope -0.040", text);
        Assert.Contains("over 12 curves (6 curve(s) with alpha_bon outside their ladder, 0 without a ladder in their replicate)", text);
        // Two world seeds, the same curves on each: each world alone gives the pooled slope, and each size's mean excess
        // (0.06-0.08 small, 0.02-0.04 large; the huge proxy has no reference, so no column).
        Assert.Contains("| world | curves | mean excess, small | mean excess, large | slope of the excess per decade [95%] |", text);
        Assert.Contains("| storyworld-1:1 | 6 | 0.070 | 0.030 | -0.0400 [", text);
        Assert.Contains("| storyworld-1:2 | 6 | 0.070 | 0.030 | -0.0400 [", text);
        Assert.True(File.Exists(Path.Combine(layout.Root, CeilingExcessStudy.Figure)));
    }

    [Fact]
    public void ASweepWithoutAGaussianLadderReportsNothingBeyondTheCeiling()
    {
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.RewardPipeline, """{ "proxySeed": [1, 2] }"""));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            var curves = new StringBuilder(CurvesHeader);
            foreach (int n in new[] { 1, 4, 16, 64 })
            {
                double kl = Math.Log(n) - (n - 1.0) / n, d = Math.Sqrt(kl), gold = d * (1 - 0.2 * d);
                curves.Append(C, $"bon,a,t8,transformer,100,200,0,1,{n},,{kl:R},{d:R},{2 * d:R},{gold:R},{gold - 0.01:R},{gold + 0.01:R},{task.Pipeline.ProxySeed}\n");
            }
            Complete(layout, task, ("curves.csv", curves.ToString()));
        }
        string text = MergedReport(sweep, layout);

        Assert.DoesNotContain("beyond the ceiling", text);
    }

    [Fact]
    public void EnsemblesAreSetBesideTheirSingleProxyAndTheirDisagreementIsCompared()
    {
        // Three proxy seeds. Best-of-n: the single proxy t bends down, its worst-case ensemble keeps rising. PPO at KL 0.01:
        // t bends down, the ensembles rise; the mean ensemble's members end 0.5 + 0.01 seed apart, the uncertainty-weighted 0.1 + 0.01 seed.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.RewardPipeline, """
            { "proxySeed": [1, 2, 3], "proxies": [ [
              { "name": "t", "kind": "transformer", "layers": 1, "modelDim": 8, "heads": 2, "epochs": 1 },
              { "name": "t-min", "kind": "ensemble", "of": "t", "objective": "worstCase" },
              { "name": "t-mean", "kind": "ensemble", "of": "t" },
              { "name": "t-uwo", "kind": "ensemble", "of": "t", "objective": "uncertaintyWeighted" } ] ] }
            """));
        var layout = new SweepLayout(_files.Output);
        foreach (var task in sweep.Tasks)
        {
            int seed = task.Pipeline.ProxySeed!.Value;
            var curves = new StringBuilder("method,policy,proxy,proxy_kind,proxy_params,comparisons,kl_coefficient,seed,n,step,kl,d,proxy_score,gold_score,gold_ci_low,gold_ci_high,proxy_seed,proxy_disagreement\n");
            void Point(string method, string proxy, string kind, double beta, int n, double step, double d, double gold, double disagreement)
                => curves.Append(C, $"{method},a,{proxy},{kind},{(kind == "ensemble" ? 300 : 100)},200,{beta},1,{n},{(double.IsNaN(step) ? "" : step.ToString(C))},{d * d:R},{d:R},{2 * d:R},{gold:R},{gold - 0.01:R},{gold + 0.01:R},{seed},{(double.IsNaN(disagreement) ? "" : disagreement.ToString("R", C))}\n");
            foreach (int n in new[] { 1, 4, 16, 64, 256, 1000 })
            {
                double d = Math.Sqrt(Math.Log(n) - (n - 1.0) / n);
                Point("bon", "t", "transformer", 0, n, double.NaN, d, d * (1 - 0.6 * d), double.NaN);
                Point("bon", "t-min", "ensemble", 0, n, double.NaN, d, d * (1 - 0.1 * d), double.NaN);
            }
            for (int step = 0; step <= 5; step++)
            {
                double d = 0.5 * step;
                Point("ppo", "t", "transformer", 0.01, 1, step, d, d * (1 - 0.6 * d), double.NaN);
                Point("ppo", "t-mean", "ensemble", 0.01, 1, step, d, d * (1 - 0.1 * d), (0.5 + 0.01 * seed) * step / 5);
                Point("ppo", "t-uwo", "ensemble", 0.01, 1, step, d, d * (1 - 0.1 * d), (0.1 + 0.01 * seed) * step / 5);
            }
            Complete(layout, task, ("curves.csv", curves.ToString()));
        }
        string text = MergedReport(sweep, layout);

        Assert.Contains("| bon | 0 | t | single | 3 |", text);
        Assert.Contains("| Coste | worst-case and uncertainty-weighted ensembles do not overoptimize under best-of-n (Coste et al. 2024, with 25% label noise) | holds | t-min (worstCase):", text);
        Assert.Contains("| Coste | an ensemble's best-of-n gold peak is at least the single proxy's (inside or above the single's interval) | holds |", text);
        Assert.Contains("| Coste | with a small KL penalty (0 < beta <= 0.01), worst-case and uncertainty-weighted ensembles do not overoptimize under PPO, at no cost in gold against the single proxy at that penalty | holds | t-uwo (uncertaintyWeighted) at beta 0.01:", text);
        // Final disagreement: mean 0.52 [0.495, 0.545] against 0.12 [0.095, 0.145] (half-width 4.303 x 0.01 / sqrt(3)).
        Assert.Contains("| Coste | the members disagree more at the end of PPO under the mean objective than under the uncertainty-weighted one | holds | beta 0.01: mean 0.520 [0.495, 0.545], uncertainty-weighted 0.120 [0.095, 0.145]", text);
        Assert.True(File.Exists(Path.Combine(layout.Root, EnsembleStudy.DisagreementFigure)));
        // An ensemble is no reward-model size of its own: the size study sees the single proxy alone.
        Assert.Contains("| 1 | beta_bon falls as reward models grow (fig. 3) | not measured |", text);
    }

    [Fact]
    public void DirectAlignmentIsJudgedOnItsSeedMeansAndItsStepsInEpochs()
    {
        // One task, DPO at beta 0.1 and 0.5 on seeds 1-3, 100 pairs in batches of 10 (10 steps an epoch). Gold follows the
        // best-of-n form d(1 - 0.5 d), which peaks at d = 1: step 3 or 4 at beta 0.1 (d = 0.3 step), 6 or 7 at beta 0.5 (d = 0.15 step).
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.RewardPipeline,
            """{ "directAlignment": [ { "losses": ["dpo"], "betas": [0.1, 0.5], "seeds": [1, 2, 3], "batchSize": 10 } ] }"""));
        var layout = new SweepLayout(_files.Output);
        var task = sweep.Tasks.Single();
        var curves = new StringBuilder(CurvesHeader);
        foreach (var (beta, perStep) in new[] { (0.1, 0.3), (0.5, 0.15) })
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                for (int step = 0; step <= 12; step++)
                {
                    double d = perStep * step, gold = d * (1 - 0.5 * d) + 0.001 * seed * step;
                    curves.Append(C, $"daa,a,dpo,implicit,0,100,{beta},{seed},1,{step},{d * d:R},{d:R},{d:R},{gold:R},{gold - 0.01:R},{gold + 0.01:R},\n");
                }
            }
        }
        Complete(layout, task, ("curves.csv", curves.ToString()));
        string text = MergedReport(sweep, layout);

        Assert.Contains("| DAA | under direct alignment gold rises then falls as KL grows, for every beta (Rafailov et al. 2024) | holds |", text);
        // The curves follow the best-of-n form exactly, so the R_RL form does not fit as well: an honest "does not hold".
        Assert.Contains("| DAA | the R_RL form d(alpha - beta ln d) fits direct alignment's gold at least as well as the best-of-n form d(alpha - beta d) | does not hold |", text);
        Assert.Contains("| DAA | a lower beta spends more KL | holds | dpo: final KL 12.96 at beta 0.1, 3.24 at beta 0.5;", text);
        Assert.Matches(@"\| DAA \| gold begins to fall within the first epoch \| holds \| dpo beta 0\.1: peak at step [34] = 0\.[34]0 epochs; dpo beta 0\.5: peak at step [67] = 0\.[67]0 epochs;", text);
        Assert.True(File.Exists(Path.Combine(layout.Root, DirectAlignmentStudy.Figure)));
    }

    /// <summary>The columns of curves.csv the studies read, in a task's own order.</summary>
    private const string CurvesHeader = "method,policy,proxy,proxy_kind,proxy_params,comparisons,kl_coefficient,seed,n,step,kl,d,proxy_score,gold_score,gold_ci_low,gold_ci_high,proxy_seed\n";

    /// <summary>
    /// Best-of-n on policy "a" for 2 sizes (1,000 and 100,000 parameters) x 3 comparison counts (500, 2,000, 8,000): gold's
    /// alpha grows by <paramref name="perDecade"/>(size) per decade of comparisons (+0.01 by seed); at 500 the loss is chance.
    /// </summary>
    private static (StringBuilder Curves, StringBuilder Models) DataGrid(int seed, Func<long, double> perDecade)
    {
        var curves = new StringBuilder(CurvesHeader);
        var models = new StringBuilder("policy,name,kind,parameters,training_comparisons,validation_loss,proxy_seed\n");
        foreach (long parameters in new long[] { 1000, 100000 })
        {
            foreach (long count in new long[] { 500, 2000, 8000 })
            {
                double alpha = 0.05 + perDecade(parameters) * Math.Log10(count / 500.0) + 0.01 * seed;
                string name = $"p{parameters}-c{count}";
                BonCurve(curves, "a", name, parameters, count, seed, alpha, 0.3);
                models.Append(C, $"a,{name},transformer,{parameters},{count},{(count == 500 ? 0.6929 : 0.66 - 0.01 * Math.Log10(count)):R},{seed}\n");
            }
        }
        return (curves, models);
    }

    /// <summary>0.2 of alpha per decade of comparisons at 1,000 parameters, 0.6 at 100,000.</summary>
    private static double LargerGainsFaster(long parameters) => 0.4 * (Math.Log10(parameters) - 2) / 2;

    private static void BonCurve(StringBuilder curves, string policy, string proxy, long parameters, long count, int seed, double alpha, double beta)
    {
        foreach (int n in new[] { 1, 4, 16, 64, 256, 1000 })
        {
            double kl = Math.Log(n) - (n - 1.0) / n, d = Math.Sqrt(kl), gold = d * (alpha - beta * d);
            curves.Append(C, $"bon,{policy},{proxy},transformer,{parameters},{count},0,{seed},{n},,{kl:R},{d:R},{d:R},{gold:R},{gold - 0.01:R},{gold + 0.01:R},{seed}\n");
        }
    }

    /// <summary>A finished task whose one proxy's best-of-n curve follows d(alpha - beta d) exactly.</summary>
    private static void Finish(SweepLayout layout, SweepTask task, long parameters, int proxySeed, double alpha, double beta, double validationLoss)
    {
        var curves = new StringBuilder(CurvesHeader);
        foreach (int n in new[] { 1, 4, 16, 64, 256, 1000 })
        {
            double kl = Math.Log(n) - (n - 1.0) / n, d = Math.Sqrt(kl), gold = d * (alpha - beta * d);
            curves.Append(C, $"bon,a,p{parameters},transformer,{parameters},1000,0,1,{n},,{kl:R},{d:R},{d:R},{gold:R},{gold - 0.01:R},{gold + 0.01:R},{proxySeed}\n");
        }
        Complete(layout, task, ("curves.csv", curves.ToString()),
            ("fits.csv", string.Create(C,
                $"method,alpha_shared,policy,proxy,proxy_kind,proxy_params,comparisons,kl_coefficient,seed,alpha,beta,proxy_seed\nbon,false,a,p{parameters},transformer,{parameters},1000,0,1,{alpha:R},{beta:R},{proxySeed}\n")),
            ("reward_models.csv", string.Create(C,
                $"policy,name,kind,parameters,training_comparisons,validation_loss,proxy_seed\na,gold,transformer,5000,0,,\na,p{parameters},transformer,{parameters},900,{validationLoss:R},{proxySeed}\n")));
    }

    /// <summary>A finished task: its output files written as given, then its done marker (what the merge reads).</summary>
    /// <summary>Merges the completed tasks of <paramref name="sweep"/> and returns the report's text.</summary>
    private static string MergedReport(SweepDefinition sweep, SweepLayout layout)
    {
        var merged = SweepDatabase.Merge(sweep, layout, t => $"rerun {t.Index}");
        return File.ReadAllText(SweepReport.Write(merged.DatabasePath, layout.ReportPath));
    }

    private static void Complete(SweepLayout layout, SweepTask task, params (string File, string Text)[] files)
    {
        string folder = layout.TaskDirectory(task);
        Directory.CreateDirectory(folder);
        foreach (var (file, text) in files)
        {
            File.WriteAllText(Path.Combine(folder, file), text);
        }
        SweepTaskRecord.For(task, DateTime.UtcNow, 1.0).Save(layout.DoneMarker(task));
    }

    public void Dispose() => _files.Dispose();
}

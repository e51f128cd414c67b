using System.Text.Json.Nodes;
using Microsoft.ML;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.Experiments.Pipelines;
using OverOpt.Experiments.Settings;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.Experiments.Sweeps.Storage;

namespace OverOpt.Experiments.Tests;

/// <summary>
/// A tiny scaling-law study run for real: 2 proxy sizes x 2 proxy seeds (best-of-n and a few PPO steps), merged and
/// reported. The proxy seed changes the proxies and nothing else: gold, pi_init and the best-of-n samples are built once
/// and shared; a pipeline without proxySeed finds the proxy its seed's proxySeed built.
/// </summary>
public sealed class SweepStudiesRunTests : IDisposable
{
    /// <summary>The sweep tests' reward pipeline with its proxy named as the first size of the axis, and a few PPO steps.</summary>
    private static readonly string Pipeline = WithRl(SweepTestFiles.RewardPipeline);

    private static string WithRl(string pipeline)
    {
        var node = JsonNode.Parse(pipeline)!;
        node["proxies"]![0]!["name"] = "t8";
        node["ppo"] = JsonNode.Parse("""
            { "seeds": [ 1 ], "steps": 4, "batchSize": 8, "miniBatches": 2, "ppoEpochs": 1, "evaluationPoints": 2, "evaluationSamples": 8 }
            """);
        return node.ToJsonString();
    }

    private readonly SweepTestFiles _files = new("overopt-study-run-");

    [Fact]
    public void ATinySizeStudyOnTwoProxySeedsReportsItsFindingsAndSharesGold()
    {
        string file = _files.WriteSweep(Pipeline, """
            {
              "proxies": [
                [ { "name": "t8", "kind": "transformer", "layers": 1, "modelDim": 8, "heads": 2, "epochs": 1 } ],
                [ { "name": "t16", "kind": "transformer", "layers": 1, "modelDim": 16, "heads": 2, "epochs": 1 } ]
              ],
              "proxySeed": [1, 2]
            }
            """);
        var sweep = SweepLoader.Load(file);
        var layout = new SweepLayout(_files.Output);
        var runner = new SweepTaskRunner(layout, new SweepTaskRunOptions { CacheDirectory = _files.Cache });

        var outcomes = sweep.Tasks.Select(runner.Run).ToList();
        var merged = SweepDatabase.Merge(sweep, layout, t => $"rerun {t.Index}");
        string report = File.ReadAllText(SweepReport.Write(merged.DatabasePath, layout.ReportPath));

        Assert.All(outcomes, o => Assert.True(o.Result == SweepTaskResult.Completed, o.Error));
        Assert.Contains("## Findings", report);
        Assert.Contains("| # | finding | verdict | numbers |", report);
        Assert.Matches(@"\| 1 \| beta_bon falls as reward models grow \(fig\. 3\) \| (holds|does not hold) \| beta_bon: slope ", report);
        Assert.Matches(@"\| 3 \| more comparisons give higher gold \(fig\. 4, 13\) \| not measured \|", report);
        // Overoptimized best-of-n curves counted per size as well, smallest first.
        Assert.Matches(@"Best-of-n: \d of 4 curves overoptimize [^\n]* \(t8: \d of 2, t16: \d of 2\)\.", report);
        foreach (string figure in new[] { RewardModelSizeStudy.AlphaBonFigure, RewardModelSizeStudy.BetaBonFigure, RewardModelSizeStudy.BetaRlFigure, RewardModelSizeStudy.PeakFigure,
            RewardModelSizeStudy.BonCurvesFigure, RewardModelSizeStudy.RlCurvesFigure, ValidationLossStudy.Figure, ProxyGoldStudy.Figure })
        {
            Assert.True(File.Exists(Path.Combine(layout.Root, figure)), figure);
            Assert.Contains($"]({figure})", report);
        }

        // One gold, one pi_init and one set of best-of-n samples for all four tasks; four proxies.
        Assert.Single(Directory.GetFiles(Path.Combine(_files.Cache, "gold"), "*.zip"));
        Assert.Single(Directory.GetFiles(Path.Combine(_files.Cache, "bon-samples"), "*.zip"));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(_files.Cache, "proxies"), "*.zip").Length);
        string db = merged.DatabasePath;
        Assert.Equal(["false", "true", "true", "true"], SweepDatabase.Query(db, "SELECT from_cache FROM reward_models WHERE name = 'gold' ORDER BY task_index", r => r.GetString(0)));
        Assert.Equal([1L, 2L], SweepDatabase.Query(db, "SELECT DISTINCT proxy_seed FROM curve_points ORDER BY proxy_seed", r => r.GetInt64(0)));
        Assert.Equal([1L, 2L], SweepDatabase.Query(db, "SELECT DISTINCT proxy_seed FROM fits ORDER BY proxy_seed", r => r.GetInt64(0)));
        // The same size on the two proxy seeds: two different proxies.
        var losses = SweepDatabase.Query(db, "SELECT proxy_seed, validation_loss FROM reward_models WHERE name = 't8' ORDER BY proxy_seed", r => (r.GetInt64(0), r.GetDouble(1)));
        Assert.Equal(2, losses.Count);
        Assert.NotEqual(losses[0].Item2, losses[1].Item2);

        // Without proxySeed (seed 1) the pipeline's proxy is the one proxySeed = 1 built: same cache key as before the field.
        var plain = PipelineLoader.Parse(Pipeline, "tiny.json");
        var result = new PipelineRunner(new MLContext(1)).Run(plain, new PipelineRunOptions { OutputDirectory = Path.Combine(_files.Folder, "plain"), CacheDirectory = _files.Cache });
        Assert.True(result.RewardModels.Single(m => m.Name == "t8").FromCache);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(_files.Cache, "proxies"), "*.zip").Length);
        Assert.Equal(losses[0].Item2, result.RewardModels.Single(m => m.Name == "t8").ValidationLoss);
    }

    public void Dispose() => _files.Dispose();
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// Direct alignment in a pipeline: the policy fitted to the proxies' training comparisons by each loss at each beta on
/// each seed, evaluated on the held-out prompts as PPO is; per-step losses beside the curves (daa-*.csv).
/// </summary>
internal sealed class DirectAlignmentStage
{
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;

    public DirectAlignmentStage(PipelineDefinition pipeline, PipelineRunOptions run)
    {
        _pipeline = pipeline;
        _run = run;
    }

    /// <summary>Every (loss, beta) over the spec's seeds, each run a job of its own (see <see cref="PipelineDefinition.ThreadsPerJob"/>).</summary>
    public IReadOnlyList<DirectAlignmentConfiguration> Run(Policy policy, string policyName, IRewardScorer gold, IRewardScorer rule, IDataView train, int trainingPairs,
        PromptSplit prompts, string output)
    {
        var spec = _pipeline.DirectAlignment!;
        var runs = (from loss in spec.Losses from beta in spec.Betas from seed in spec.Seeds select (Loss: loss, Beta: beta, Seed: seed)).ToList();
        var finished = TorchJobs.Run(runs.Select(r => (Func<DirectAlignmentSeedRun>)(() =>
        {
            var watch = Stopwatch.StartNew();
            var ml = new MLContext(_pipeline.Seed);
            var options = spec.Options(r.Loss, r.Beta, r.Seed);
            (options.InitialPolicy, options.Gold, options.Rule, options.Progress) = (policy, gold, rule, _run.Progress);
            options.EvaluationData = ml.Policies().PromptRows(prompts.HeldOut);
            var result = ml.Optimization().DirectAlignment(options).Fit(train);
            using var trained = result.Policy;
            new CurveLabels(policyName, new RewardModelInfo { Kind = MLNet.DirectAlignment.DirectAlignmentTrainer.ImplicitRewardKind, TrainingComparisons = trainingPairs }, null).Stamp(result.Curve);
            string name = $"daa-{policyName}-{r.Loss}-b{r.Beta.ToString("R", CultureInfo.InvariantCulture)}-s{r.Seed}";
            var table = new CsvTable("step", "epoch", "loss", "accuracy", "margin");
            foreach (var s in result.Steps)
            {
                table.Add(s.Step, (double)s.Step / result.StepsPerEpoch, s.Loss, s.Accuracy, s.Margin);
            }
            table.Save(Path.Combine(output, $"{name}.csv"));
            return new DirectAlignmentSeedRun(r.Seed, result.Curve, result.Fit, result.StepsPerEpoch, watch.Elapsed.TotalSeconds);
        })).ToList(), _pipeline.EffectiveThreadsPerJob, TorchSharp.torch.get_num_threads());
        return runs.Select((r, i) => (r, Run: finished[i])).GroupBy(x => (x.r.Loss, x.r.Beta))
            .Select(g => DirectAlignmentConfiguration.Of(policyName, g.Key.Loss, g.Key.Beta, g.Select(x => x.Run).ToList())).ToList();
    }
}

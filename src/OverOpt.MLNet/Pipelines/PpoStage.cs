using Microsoft.ML;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Ppo;
using OverOpt.MLNet.Reporting;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Pipelines;

/// <summary>
/// PPO in a pipeline: pi_init against each named proxy with gold measured at every evaluation; checkpoints under
/// the output folder (a rerun of the same command resumes), the trained policies and per-step diagnostics beside them.
/// </summary>
internal sealed class PpoStage
{
    private readonly MLContext _ml;
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;

    public PpoStage(MLContext mlContext, PipelineDefinition pipeline, PipelineRunOptions run)
    {
        _ml = mlContext;
        _pipeline = pipeline;
        _run = run;
    }

    public PpoResult Run(Policy policy, RewardModel proxy, RewardModel gold, int comparisons, TextCorpus corpus, string output)
    {
        var spec = _pipeline.Ppo;
        int promptLength = _pipeline.Sampling.PromptLength;
        var train = TextCorpus.Prompts(policy.Tokenizer, corpus.TrainStories, promptLength).Select(p => new RewardInput { PromptTokens = p });
        var held = TextCorpus.Prompts(policy.Tokenizer, corpus.ValidationStories, promptLength).Select(p => new RewardInput { PromptTokens = p });
        var options = new PpoTrainer.Options
        {
            Name = $"ppo-{proxy.Name}",
            InitialPolicy = policy,
            Reward = proxy,
            Gold = gold,
            EvaluationData = _ml.Data.LoadFromEnumerable(held),
            RewardParameters = proxy.Info.Parameters,
            RewardComparisons = comparisons,
            KlCoefficient = spec.KlCoefficient,
            AdaptiveKlTarget = spec.AdaptiveKlTarget,
            BatchSize = spec.BatchSize,
            PpoEpochs = spec.PpoEpochs,
            MiniBatches = spec.MiniBatches,
            LearningRate = spec.LearningRate,
            ClipRange = spec.ClipRange,
            ValueCoefficient = spec.ValueCoefficient,
            ResponseLength = _pipeline.Sampling.ResponseLength,
            Temperature = _pipeline.Sampling.Temperature,
            Steps = spec.Steps,
            EvaluationInterval = spec.EvaluationInterval,
            EvaluationSamples = spec.EvaluationSamples,
            Seed = _pipeline.Seed,
            // Keyed by the proxy's provenance, so a retrained proxy of the same name never resumes a stale run.
            CheckpointDirectory = Path.Combine(output, "checkpoints", ModelArchive.Sha256(System.Text.Encoding.UTF8.GetBytes(proxy.Info.Provenance))[..12]),
            Device = _run.Device,
            Progress = _run.Progress,
        };
        var result = _ml.Optimization().Ppo(options).Fit(_ml.Data.LoadFromEnumerable(train));
        if (result.Resumed)
        {
            _run.Log($"ppo-{proxy.Name}: resumed from its checkpoint");
        }
        result.Policy.Save(Path.Combine(output, $"ppo-{proxy.Name}.policy.zip"));
        var table = new CsvTable("step", "beta", "learning_rate", "mean_score", "kl_exact", "k1_estimate", "k3_estimate", "entropy", "policy_loss", "value_loss", "clip_fraction", "approx_kl_old", "explained_variance");
        foreach (var d in result.Diagnostics)
        {
            table.Add(d.Step, d.Beta, d.LearningRate, d.MeanScore, d.KlExact, d.KlK1, d.KlK3, d.Entropy, d.PolicyLoss, d.ValueLoss, d.ClipFraction, d.ApproxKlOld, d.ExplainedVariance);
        }
        table.Save(Path.Combine(output, $"ppo-{proxy.Name}.csv"));
        return result;
    }
}

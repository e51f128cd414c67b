using System.Text.Json;
using Microsoft.ML;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Gold;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Reporting;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.Pipelines;

/// <summary>
/// The reward-model part of a pipeline: gold (cached), comparisons of pi_init's samples labelled by gold
/// (comparisons.csv), and every proxy trained on them (cached), summarized in reward_models.csv.
/// </summary>
internal sealed class RewardModelStage
{
    private readonly MLContext _ml;
    private readonly PipelineDefinition _pipeline;
    private readonly PipelineRunOptions _run;
    private readonly ArtifactCache _cache;

    public RewardModelStage(MLContext mlContext, PipelineDefinition pipeline, PipelineRunOptions run, ArtifactCache cache)
    {
        _ml = mlContext;
        _pipeline = pipeline;
        _run = run;
        _cache = cache;
    }

    private int Context => _pipeline.Sampling.PromptLength + _pipeline.Sampling.ResponseLength;

    public RewardModel Gold(Policy policy, TextCorpus corpus)
    {
        var spec = _pipeline.Gold!;
        var options = new GoldRewardTrainer.Options
        {
            Shape = new GptShape { Layers = spec.Layers, ModelDim = spec.ModelDim, Heads = spec.Heads, Context = Context },
            Prompts = spec.Prompts,
            SamplesPerPrompt = spec.SamplesPerPrompt,
            PromptLength = _pipeline.Sampling.PromptLength,
            ResponseLength = _pipeline.Sampling.ResponseLength,
            Temperature = _pipeline.Sampling.Temperature,
            EditedFraction = spec.EditedFraction,
            Steps = spec.Steps,
            BatchSize = spec.BatchSize,
            LearningRate = spec.LearningRate,
            Seed = _pipeline.Seed,
            Device = _run.Device,
            Progress = _run.Progress,
        };
        string key = Key(new { artifact = "gold", format = RewardModel.FormatVersion, rule = GoldPreference.Version, policy = policy.Description.Provenance, gold = spec, sampling = SamplingKey, seed = _pipeline.Seed });
        return _cache.GetOrBuild<RewardModel>(
            "gold", key, path => RewardModel.Load(_ml, path), m => m.Info.Provenance,
            () =>
            {
                var (gold, _) = new GoldRewardTrainer(options).Fit(_ml, policy, corpus);
                return gold.WithInfo(gold.Info with { Provenance = key });
            },
            (m, path) => m.Save(_ml, path));
    }

    /// <summary>Labels the comparisons (deterministic for the seed), splits off the held-out share and writes comparisons.csv.</summary>
    public (IDataView Train, IDataView Validation, int Count, IReadOnlyList<ComparisonRow> Rows) Comparisons(Policy policy, RewardModel gold, PromptSplit prompts, string output)
    {
        var spec = _pipeline.Comparisons;
        var rows = ComparisonBuilder.Build(policy, gold, prompts.Train, spec.Count, spec.LabelNoise,
            new SamplingOptions { ResponseLength = _pipeline.Sampling.ResponseLength, Temperature = _pipeline.Sampling.Temperature, BatchSize = 1000 },
            _pipeline.Seed + 1, _run.Progress);
        int held = (int)Math.Round(rows.Count * spec.ValidationFraction);
        var table = new CsvTable("split", "prompt", "chosen", "rejected", "chosen_gold", "rejected_gold", "flipped");
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            table.Add(i < held ? "validation" : "train", policy.Tokenizer.Decode(r.PromptTokens), policy.Tokenizer.Decode(r.ChosenTokens),
                policy.Tokenizer.Decode(r.RejectedTokens), r.ChosenGold, r.RejectedGold, r.Flipped);
        }
        table.Save(Path.Combine(output, "comparisons.csv"));
        return (_ml.Data.LoadFromEnumerable(rows.Skip(held)), _ml.Data.LoadFromEnumerable(rows.Take(held)), rows.Count - held, rows);
    }

    public RewardModel Proxy(ProxySpec spec, Policy policy, RewardModel gold, IDataView train, IDataView validation)
    {
        string key = Key(new { artifact = "proxy", format = RewardModel.FormatVersion, gold = gold.Info.Provenance, comparisons = _pipeline.Comparisons, sampling = SamplingKey, proxy = spec, seed = _pipeline.Seed });
        return _cache.GetOrBuild<RewardModel>(
            "proxies", key, path => RewardModel.Load(_ml, path), m => m.Info.Provenance,
            () =>
            {
                IEstimator<RewardModel> trainer = spec.Kind == FastTreeRewardModel.KindName
                    ? _ml.RewardModels().Trainers.FastTree(new FastTreeRewardTrainer.Options
                    {
                        Name = spec.Name,
                        Tokenizer = policy.Tokenizer,
                        NumberOfTrees = spec.Trees,
                        NumberOfLeaves = spec.Leaves,
                        NgramLength = spec.NgramLength,
                        ValidationData = validation,
                    })
                    : _ml.RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
                    {
                        Name = spec.Name,
                        Tokenizer = policy.Tokenizer,
                        Shape = new GptShape { Layers = spec.Layers, ModelDim = spec.ModelDim, Heads = spec.Heads, Context = Context },
                        Epochs = spec.Epochs,
                        BatchSize = spec.BatchSize,
                        LearningRate = spec.LearningRate,
                        Seed = _pipeline.Seed,
                        Device = _run.Device,
                        ValidationData = validation,
                        Progress = _run.Progress,
                    });
                var model = trainer.Fit(train);
                return model.WithInfo(model.Info with { Provenance = key });
            },
            (m, path) => m.Save(_ml, path));
    }

    public static void WriteSummary(IEnumerable<(RewardModel Model, bool FromCache)> models, string path)
    {
        var table = new CsvTable("name", "kind", "parameters", "training_comparisons", "validation_loss", "validation_accuracy", "from_cache");
        foreach (var (model, fromCache) in models)
        {
            var i = model.Info;
            table.Add(i.Name, i.Kind, i.Parameters, i.TrainingComparisons, i.ValidationLoss, i.ValidationAccuracy, fromCache);
        }
        table.Save(path);
    }

    /// <summary>What of the sampling changes what gold and the proxies see: prompt and response length and temperature.</summary>
    private object SamplingKey => new { _pipeline.Sampling.PromptLength, _pipeline.Sampling.ResponseLength, _pipeline.Sampling.Temperature };

    private static string Key(object description) => JsonSerializer.Serialize(description, ArchiveJson.Options);
}

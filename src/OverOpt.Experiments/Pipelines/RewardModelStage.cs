using System.Text.Json;
using Microsoft.ML;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.Experiments.Pipelines;

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

    internal int Context => _pipeline.Sampling.PromptLength + _pipeline.Sampling.ResponseLength;

    /// <summary>Gold of the pipeline's world: <paramref name="rule"/> learned on pi_init's samples (cached).</summary>
    public RewardModel Gold(Policy policy, TextCorpus corpus, IPreferenceRule rule)
    {
        var spec = _pipeline.Gold!;
        var languageModel = spec.Pretrained ? LanguageModelOptions(spec.Layers, spec.ModelDim, spec.Heads) : null;
        var options = spec.Options(_pipeline.Sampling, _pipeline.Seed);
        (options.InitialPolicy, options.Rule, options.Device, options.Progress) = (policy, rule, _run.Device, _run.Progress);
        // tinytales's rule keyed by its version number alone, as before worlds were a setting, so its cached gold models hold.
        object ruleKey = rule is GoldPreference ? GoldPreference.Version : rule.Key;
        string key = Key(new { artifact = "gold", pretrained = Provenance(corpus, policy, languageModel), format = RewardModel.FormatVersion, rule = ruleKey, data = GoldRewardTrainer.TrainingDataVersion, prompts = "distinct-by-text", policy = policy.Description.Provenance, gold = spec, sampling = SamplingKey, seed = _pipeline.Seed });
        // Beside the artifact, under its build lock: a killed build resumes its regression there, and a saved one needs it no more.
        string checkpoints = Path.ChangeExtension(_cache.PathFor("gold", key), ".training");
        options.CheckpointDirectory = checkpoints;
        return _cache.GetOrBuild<RewardModel>(
            "gold", key, path => RewardModel.Load(_ml, path), m => m.Info.Provenance,
            () =>
            {
                using var pretrained = languageModel is null ? null : LanguageModel(corpus, languageModel, "gold");
                options.PretrainedInitialization = pretrained;
                // Training prompts only: no evaluation prompt is seen by gold, word for word.
                var prompts = PromptSplit.Create(policy.Tokenizer, corpus, _pipeline.Sampling.PromptLength).Train;
                var gold = _ml.RewardModels().Trainers.Gold(options).Fit(_ml.Policies().PromptRows(prompts));
                return gold.WithInfo(gold.Info with { Provenance = key });
            },
            (m, path) => SaveDroppingCheckpoints(m, path, checkpoints));
    }

    /// <summary>
    /// Gold that is the world's rule itself (<c>gold.kind</c> <c>rule</c>), standardized as gold networks are (pi_init's
    /// samples: mean 0, std 1) on <see cref="RuleGoldSamples"/> responses of pi_init to the training prompts. Computed, not
    /// trained: seconds, so not cached.
    /// </summary>
    public RuleRewardScorer RuleGold(Policy policy, IPreferenceRule rule, PromptSplit prompts)
    {
        var chosen = Enumerable.Range(0, RuleGoldSamples).Select(i => prompts.Train[i % prompts.Train.Count]).ToArray();
        using var generator = new TorchSharp.torch.Generator(SeedStreams.RuleGoldStandardization(_pipeline.Seed), policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, chosen, 1, _pipeline.Sampling.ToBulkOptions(), generator);
        return RuleRewardScorer.Standardized(rule, samples.Select(s => s.Prompt).ToArray(), samples.Select(s => s.Response).ToArray());
    }

    /// <summary>pi_init's responses a rule gold is standardized on: its mean and scale then carry sampling errors of about 1.6% and 1.1% of a standard deviation.</summary>
    public const int RuleGoldSamples = 4096;

    /// <summary>
    /// Labels the comparisons (deterministic for the seed), splits off the held-out share (or labels
    /// <c>validationCount</c> held-out ones apart) and writes comparisons.csv, the held-out rows first.
    /// </summary>
    public (IDataView Train, IDataView Validation, IReadOnlyList<ComparisonRow> Rows, int TrainingPairs) Comparisons(Policy policy, IRewardScorer gold, PromptSplit prompts, string file)
    {
        var spec = _pipeline.Comparisons;
        var (policyKey, goldKey, promptsKey) = (policy.Description.Provenance, gold.Provenance, PromptsKey(prompts.Train));
        // The trained-on comparisons keep the key they always had (the whole section, their count in it); held-out ones
        // drawn apart are keyed by their own count and stream, the same whatever the count trained on.
        var rows = Labelled(policy, gold, prompts, spec.Count, SeedStreams.Comparisons(_pipeline.Seed),
            Key(new { artifact = "comparisons", policy = policyKey, gold = goldKey, comparisons = spec, sampling = SamplingKey, prompts = promptsKey, seed = _pipeline.Seed }));
        int held = spec.HeldOutOfCount();
        var validation = spec.ValidationCount is { } count
            ? Labelled(policy, gold, prompts, count, SeedStreams.ValidationComparisons(_pipeline.Seed),
                Key(new { artifact = "validation comparisons", policy = policyKey, gold = goldKey, count, spec.LabelNoise, stream = SeedStreams.ValidationComparisons(_pipeline.Seed), sampling = SamplingKey, prompts = promptsKey }))
            : rows.Take(held).ToList();
        var train = rows.Skip(held).ToList();
        var table = new CsvTable("split", "prompt", "chosen", "rejected", "chosen_gold", "rejected_gold", "flipped");
        foreach (var (r, split) in validation.Select(r => (r, "validation")).Concat(train.Select(r => (r, "train"))))
        {
            table.Add(split, policy.Tokenizer.Decode(r.PromptTokens), policy.Tokenizer.Decode(r.ChosenTokens),
                policy.Tokenizer.Decode(r.RejectedTokens), r.ChosenGold, r.RejectedGold, r.Flipped);
        }
        table.Save(file);
        return (_ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(train)), _ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(validation)),
            validation.Concat(train).ToList(), train.Count);
    }

    /// <summary>
    /// <paramref name="count"/> comparisons labelled by gold from the seed stream <paramref name="stream"/>, cached under
    /// <paramref name="key"/>: sampling and labelling 2 x count responses is a stage of its own, and a rerun (e.g. with the
    /// proxies cached) loads them.
    /// </summary>
    private IReadOnlyList<ComparisonRow> Labelled(Policy policy, IRewardScorer gold, PromptSplit prompts, int count, int stream, string key)
    {
        using var cached = _cache.GetOrBuild(
            "comparisons", key, CachedComparisons.Load, c => c.Key,
            () => new CachedComparisons(key, ComparisonBuilder.Build(policy, gold, prompts.Train, count, _pipeline.Comparisons.LabelNoise,
                _pipeline.Sampling.ToBulkOptions(), stream, _run.Progress)),
            (c, path) => c.Save(path));
        return cached.Rows;
    }

    /// <summary>
    /// The proxy <paramref name="spec"/> (a transformer's or FastTree's from the cache, or built), trained with
    /// <paramref name="seed"/> (an ensemble's member) or else the pipeline's proxy seed.
    /// </summary>
    public RewardModel Proxy(ProxySpec spec, Policy policy, IRewardScorer gold, TextCorpus corpus, IDataView train, IDataView validation, int? seed = null)
    {
        int trainingSeed = seed ?? _pipeline.EffectiveProxySeed;
        if (spec.IsNoisyGold)
        {
            // Gold plus a seeded noise function: nothing to train, so nothing cached (building it costs one gold pass).
            var options = spec.NoisyGoldOptions(gold, trainingSeed);
            options.Tokenizer = policy.Tokenizer;
            return _ml.RewardModels().Trainers.NoisyGold(options).Fit(train, validation);
        }
        bool transformer = spec.Kind != FastTreeRewardModel.KindName;
        var languageModel = transformer && spec.Pretrained ? LanguageModelOptions(spec.Layers, spec.ModelDim, spec.Heads) : null;
        // The proxy seed enters the key only where it changes the model: a transformer trained with a seed other than the
        // pipeline's. So a pipeline with proxySeed = seed shares the proxies of one without it, and a FastTree proxy (no
        // seed) is trained once for every proxy seed.
        int? proxySeed = transformer && trainingSeed != _pipeline.Seed ? trainingSeed : null;
        // The libtorch threads it trains at change its rounding: a proxy trained at another count is another artifact.
        int threads = TorchSharp.torch.get_num_threads();
        // Key leaves out null members, so a null proxySeed is no part of the key.
        string key = Key(new { artifact = "proxy", pretrained = Provenance(corpus, policy, languageModel), format = RewardModel.FormatVersion, policy = policy.Description.Provenance, gold = gold.Provenance, comparisons = _pipeline.Comparisons, sampling = SamplingKey, proxy = spec, seed = _pipeline.Seed, proxySeed, threads });
        // As gold's: beside the artifact, under its build lock, so a killed training resumes there; a saved proxy needs it no more.
        string checkpoints = Path.ChangeExtension(_cache.PathFor("proxies", key), ".training");
        return _cache.GetOrBuild<RewardModel>(
            "proxies", key, path => RewardModel.Load(_ml, path), m => m.Info.Provenance,
            () =>
            {
                using var pretrained = languageModel is null ? null : LanguageModel(corpus, languageModel, spec.Name);
                RewardModel model;
                if (transformer)
                {
                    var options = spec.TransformerOptions(Context, trainingSeed);
                    (options.Tokenizer, options.PretrainedInitialization, options.Device, options.Progress) = (policy.Tokenizer, pretrained, _run.Device, _run.Progress);
                    options.CheckpointDirectory = checkpoints;
                    model = _ml.RewardModels().Trainers.Transformer(options).Fit(train, validation);
                }
                else
                {
                    var options = spec.FastTreeOptions();
                    options.Tokenizer = policy.Tokenizer;
                    model = _ml.RewardModels().Trainers.FastTree(options).Fit(train, validation);
                }
                return model.WithInfo(model.Info with { Provenance = key });
            },
            (m, path) => SaveDroppingCheckpoints(m, path, checkpoints));
    }

    /// <summary>Saves a trained model to the cache, then deletes its training's checkpoints: the saved model needs them no more.</summary>
    private void SaveDroppingCheckpoints(RewardModel model, string path, string checkpoints)
    {
        model.Save(_ml, path);
        if (Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    /// <summary>
    /// reward_models.csv: gold, then each optimized policy's proxies (the policy whose samples they were trained on);
    /// <c>proxy_seed</c> is the seed a transformer proxy was trained with (a noisyGold proxy's noise seed), empty for gold and
    /// FastTree (no seed); <c>predicted_gold_slope</c> is a noisyGold proxy's Var X / (Var X + Var Z), empty for the others.
    /// </summary>
    public static void WriteSummary(IEnumerable<RewardModelResult> models, string path)
    {
        var table = new CsvTable("policy", "name", "kind", "parameters", "training_comparisons", "validation_loss", "validation_accuracy", "from_cache", "proxy_seed", "predicted_gold_slope");
        foreach (var m in models)
        {
            table.Add(m.Policy, m.Name, m.Kind, m.Parameters, m.TrainingComparisons, m.ValidationLoss, m.ValidationAccuracy, m.FromCache, m.ProxySeed,
                m.Metrics.TryGetValue(NoisyGoldRewardTrainer.PredictedGoldSlopeMetric, out double slope) ? slope : null);
        }
        table.Save(path);
    }

    /// <summary>The pretraining of a language model of a reward model's shape: the pipeline's pretraining options, the reward model's context.</summary>
    private OverOpt.MLNet.Pretraining.PretrainingOptions LanguageModelOptions(int layers, int modelDim, int heads)
    {
        var options = JsonSerializer.Deserialize<OverOpt.MLNet.Pretraining.PretrainingOptions>(JsonSerializer.Serialize(_pipeline.Pretraining, ArchiveJson.Options), ArchiveJson.Options)!;
        options.Shape = new GptShape { Layers = layers, ModelDim = modelDim, Heads = heads, Context = Context };
        options.Seed = _pipeline.Seed;
        return options;
    }

    /// <summary>What the language model would be built from (its cache key), known without building or loading it; null without one.</summary>
    private static string? Provenance(TextCorpus corpus, Policy policy, OverOpt.MLNet.Pretraining.PretrainingOptions? languageModel)
        => languageModel is null ? null : PolicyCatalog.Provenance(corpus, policy.Tokenizer, languageModel);

    /// <summary>The language model itself, pretrained on the corpus only when a reward model is built (and cached like the policies).</summary>
    private Policy LanguageModel(TextCorpus corpus, OverOpt.MLNet.Pretraining.PretrainingOptions options, string name)
        => _ml.Policies().Pretrain(corpus, options, _cache, _run.Device, RelabelledProgress.Wrap(_run.Progress, stage => $"{stage} {name} (language model)"));

    /// <summary>
    /// The language model a transformer proxy of <paramref name="spec"/>'s shape starts from (pretrained on the corpus, cached
    /// like the policies), for proxies trained outside <see cref="Proxy"/> (iterated RLHF's); null where the spec is not pretrained.
    /// </summary>
    public Policy? LanguageModelFor(ProxySpec spec, TextCorpus corpus)
        => spec.Pretrained ? LanguageModel(corpus, LanguageModelOptions(spec.Layers, spec.ModelDim, spec.Heads), spec.Name) : null;

    /// <summary>What of the sampling changes what gold and the proxies see: prompt and response length and temperature.</summary>
    private object SamplingKey => new { _pipeline.Sampling.PromptLength, _pipeline.Sampling.ResponseLength, _pipeline.Sampling.Temperature };

    /// <summary>SHA-256 of the training prompts' token ids: the prompts the comparisons were drawn from.</summary>
    internal static string PromptsKey(IReadOnlyList<int[]> prompts)
        => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(prompts.SelectMany(p => p.Append(-1)).SelectMany(BitConverter.GetBytes).ToArray()));

    internal static string Key(object description) => JsonSerializer.Serialize(description, ArchiveJson.Options);
}

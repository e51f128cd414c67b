using OverOpt.MLNet.Pretraining;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace OverOpt.Experiments.Settings;

/// <summary>
/// A declarative experiment (the content of a pipelines/*.json file). Every field has an embedded default, so
/// <c>{}</c> is a valid pipeline; unknown fields are errors, not silently ignored.
/// </summary>
public sealed class PipelineDefinition
{
    public string Name { get; set; } = "quick";

    /// <summary>Seeds every random choice of the run.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Seeds the transformer proxies' weights (their reward head, and the whole network where not pretrained) and the
    /// order they see the comparisons in (<c>TransformerRewardTrainer.Options.Seed</c>), and nothing else: pi_init, gold,
    /// the comparisons, their validation split, the best-of-n samples and the proxies' language models stay those of
    /// <see cref="Seed"/>. FastTree has no seed (it is deterministic here), so FastTree proxies do not change with it.
    /// Null: <see cref="Seed"/>, as before the field existed (same cache keys; left out of the sweep hash while null).
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? ProxySeed { get; set; }

    /// <summary>The seed the transformer proxies are trained with: <see cref="ProxySeed"/>, or else <see cref="Seed"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveProxySeed => ProxySeed ?? Seed;

    /// <summary>
    /// The seed the proxy <paramref name="name"/> was trained with: <see cref="EffectiveProxySeed"/> for a transformer
    /// proxy, a noisyGold one (its noise function's seed) and an ensemble (its members' seeds follow from it); null for
    /// gold and FastTree (no seed).
    /// </summary>
    public int? ProxySeedOf(string name)
        => Proxies.FirstOrDefault(p => p.Name == name) is { Kind: TransformerRewardModel.KindName or NoisyGoldRewardModel.KindName or EnsembleRewardModel.KindName } ? EffectiveProxySeed : null;

    /// <summary>
    /// libtorch threads of each independent job: each proxy (its language model, its training and its best-of-n curve),
    /// best-of-n's samples with gold's scores, and each PPO run. Jobs run side by side, as many as the process's threads (<c>--threads</c>) hold, so a job's
    /// numbers are the same whatever the machine's cores, and the small models, bound by per-operation overhead, finish
    /// sooner than one after another at more threads. 0: one after another at the process's threads (their rounding
    /// then depends on the thread count). Null: 1 (left out of the sweep hash while null, so sweeps hashed before the
    /// field existed, whose tasks ran at 1 thread, keep their results). Gold, pretraining and the comparisons use the process's threads.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? ThreadsPerJob { get; set; }

    /// <summary>The threads of each job: <see cref="ThreadsPerJob"/>, or else 1.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveThreadsPerJob => ThreadsPerJob ?? 1;

    /// <summary>A corpus file (one story per line), relative to the pipeline file, of the tinytales world; null for the bundled corpus.</summary>
    public string? Corpus { get; set; }

    /// <summary>The world: its corpus and the taste gold learns. Null: tinytales (left out of the sweep hash while null).</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public WorldSpec? World { get; set; }

    /// <summary>The world's corpus: a storyworld's generated stories, or else the <see cref="Corpus"/> file or the bundled corpus.</summary>
    public TextCorpus LoadCorpus() => World is { IsTinyTales: false } world ? world.GeneratedCorpus()
        : Corpus is null ? TextCorpus.Bundled() : TextCorpus.Load(Corpus);

    /// <summary>The taste gold learns and <c>rule_score</c> reports, over ids of <paramref name="tokenizer"/>.</summary>
    public IPreferenceRule Rule(WordTokenizer tokenizer, TextCorpus corpus) => (World ?? new WorldSpec()).Rule(tokenizer, corpus);

    /// <summary>Policy sizes to pretrain; the first is pi_init for what follows.</summary>
    public List<PolicySpec> Policies { get; set; } =
    [
        new PolicySpec { Name = "small", Layers = 2, ModelDim = 64, Heads = 4 },
    ];

    /// <summary>
    /// Policies that best-of-n and PPO optimize, each against proxies trained on comparisons of its own samples labelled
    /// by the same gold (the policy-size study); empty: the first policy only.
    /// </summary>
    public List<string> OptimizedPolicies { get; set; } = [];

    public PretrainingOptions Pretraining { get; set; } = new() { LearningRate = 2e-3 };

    public SamplingSpec Sampling { get; set; } = new();

    /// <summary>The gold reward model; null skips reward models and best-of-n.</summary>
    public GoldSpec? Gold { get; set; } = new();

    public ComparisonSpec Comparisons { get; set; } = new();

    /// <summary>Proxy reward models, trained on the same comparisons.</summary>
    public List<ProxySpec> Proxies { get; set; } =
    [
        new ProxySpec { Name = "tf-1x8", Layers = 1, ModelDim = 8, Heads = 2 },
        new ProxySpec { Name = "tf-2x32", Layers = 2, ModelDim = 32, Heads = 4 },
        new ProxySpec { Name = "tf-3x64", Layers = 3, ModelDim = 64, Heads = 4 },
        new ProxySpec { Name = "fasttree-100x20", Kind = FastTreeRewardModel.KindName, Trees = 100, Leaves = 20 },
    ];

    public BestOfNSpec BestOfN { get; set; } = new();

    /// <summary>PPO (by default against the smallest and the largest transformer proxy).</summary>
    public PpoSpec Ppo { get; set; } = new();

    /// <summary>Direct alignment (DPO, IPO, SLiC) on the proxies' training comparisons; null (left out): none, and no part of a sweep's hash.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public DirectAlignmentSpec? DirectAlignment { get; set; }

    /// <summary>Iterated RLHF (sec. 4.3) against proxies of one recipe retrained each round; null (left out): none, and no part of a sweep's hash.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public IteratedRlhfSpec? IteratedRlhf { get; set; }

    /// <summary>The proxies PPO optimizes: <c>ppo.proxies</c>, or else the smallest and the largest transformer proxy (by layers x width).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> PpoProxies => Ppo.Proxies ?? Proxies.Where(p => p.Kind == TransformerRewardModel.KindName)
        .OrderBy(p => (long)p.Layers * p.ModelDim * p.ModelDim).Select(p => p.Name).ToArray() switch
        {
            [] => [],
            [var only] => [only],
            var sorted => [sorted[0], sorted[^1]],
        };

    /// <summary>The names of the policies that are optimized: <see cref="OptimizedPolicies"/>, or the first policy.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> PoliciesToOptimize => OptimizedPolicies.Count > 0 ? OptimizedPolicies : [Policies[0].Name];

    /// <summary>Checks every value that can be checked without data; errors name the dotted field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new OverOptConfigurationException($"name '{Name}' cannot name an output folder.", "name", "use letters, digits, '-' or '_'.");
        }
        if (Policies.Count == 0)
        {
            throw new OverOptConfigurationException("no policies are listed.", "policies", "list at least one policy, e.g. { \"name\": \"small\", \"layers\": 2, \"modelDim\": 64, \"heads\": 4 }.");
        }
        Nested("world", () => World?.Validate(Corpus));
        Nested("directAlignment", () => DirectAlignment?.Validate());
        Nested("iteratedRlhf", () => IteratedRlhf?.Validate());
        if (IteratedRlhf is { } iterated && !Proxies.Any(p => p.Name == iterated.Proxy && p.Kind == TransformerRewardModel.KindName))
        {
            throw new OverOptConfigurationException($"iteratedRlhf.proxy names '{iterated.Proxy}', which is not a transformer proxy of this pipeline.", "iteratedRlhf.proxy",
                $"name one of: {string.Join(", ", Proxies.Where(p => p.Kind == TransformerRewardModel.KindName).Select(p => p.Name))}.");
        }
        Nested("pretraining", Pretraining.Validate);
        for (int i = 0; i < OptimizedPolicies.Count; i++)
        {
            if (!Policies.Any(p => p.Name == OptimizedPolicies[i]))
            {
                throw new OverOptConfigurationException($"optimizedPolicies names '{OptimizedPolicies[i]}', which is not among the policies.", $"optimizedPolicies[{i}]",
                    $"use one of: {string.Join(", ", Policies.Select(p => p.Name))}.");
            }
        }
        Nested("sampling", Sampling.Validate);
        ValidateRewardModels();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Policies.Count; i++)
        {
            var policy = Policies[i];
            string prefix = $"policies[{i}]";
            if (!names.Add(policy.Name))
            {
                throw new OverOptConfigurationException($"the name '{policy.Name}' is used twice.", $"{prefix}.name", "give every policy its own name.");
            }
            Nested(prefix, () => policy.ToShape(vocabularySize: 0).Validate(includeVocabulary: false));
            int needed = Sampling.PromptLength + Sampling.ResponseLength;
            if (needed > policy.Context)
            {
                throw new OverOptConfigurationException(
                    $"sampling.promptLength ({Sampling.PromptLength}) + sampling.responseLength ({Sampling.ResponseLength}) = {needed} tokens exceed this policy's context of {policy.Context}.",
                    $"{prefix}.context",
                    $"raise {prefix}.context to at least {needed}, or shorten sampling.responseLength to at most {policy.Context - Sampling.PromptLength}.");
            }
        }
    }

    private void ValidateRewardModels()
    {
        if (Gold is null)
        {
            return;
        }
        if (Gold.Kind is not (null or GoldSpec.TransformerKind or GoldSpec.RuleKind))
        {
            throw new OverOptConfigurationException($"'{Gold.Kind}' is not a kind of gold.", "gold.kind",
                $"use \"{GoldSpec.TransformerKind}\" (a network trained to reproduce the world's rule; the default) or \"{GoldSpec.RuleKind}\" (the rule itself).");
        }
        // Gold's settings as its trainer checks them (the readout's name and its need of a language model are checked in
        // mapping them; sampling's fields are checked above, under sampling).
        Nested("gold", () => Gold.Options(Sampling, Seed).ValidateSettings());
        // The group names are the world's, known before any corpus is drawn: a wrong one stops the run here, not after pretraining.
        var world = World ?? new WorldSpec();
        var groups = world.IsTinyTales ? [] : StoryTasteRule.ExchangeGroupNames;
        if (Gold.ExchangeGroups?.FirstOrDefault(n => !groups.Contains(n)) is { } unknown)
        {
            throw new OverOptConfigurationException($"gold.exchangeGroups names '{unknown}', which {world.Version}'s rule does not have.", "gold.exchangeGroups",
                groups.Count > 0 ? $"use the rule's groups: {string.Join(", ", groups)}." : "leave it out: this world's rule has no words to exchange.");
        }
        if (Comparisons.Count < 20)
        {
            throw new OverOptConfigurationException($"comparisons.count = {Comparisons.Count} is too few to train and hold out.", "comparisons.count", $"use at least 20 (the default is {new ComparisonSpec().Count}).");
        }
        if (Comparisons.LabelNoise is < 0 or > 0.5)
        {
            throw new OverOptConfigurationException($"comparisons.labelNoise = {Comparisons.LabelNoise} lies outside [0, 0.5].", "comparisons.labelNoise", "use 0 for clean labels or e.g. 0.25.");
        }
        if (Comparisons.ValidationFraction is <= 0 or >= 0.5)
        {
            throw new OverOptConfigurationException($"comparisons.validationFraction = {Comparisons.ValidationFraction} lies outside (0, 0.5).", "comparisons.validationFraction", "use 0.1 (the paper holds out 10%).");
        }
        if (Comparisons.ValidationCount is < 10)
        {
            throw new OverOptConfigurationException($"comparisons.validationCount = {Comparisons.ValidationCount} is too few to validate on.", "comparisons.validationCount", "use at least 10, e.g. 1000, or leave it out to hold out validationFraction of count.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal) { "gold" };
        for (int i = 0; i < Proxies.Count; i++)
        {
            var proxy = Proxies[i];
            string prefix = $"proxies[{i}]";
            if (!names.Add(proxy.Name))
            {
                throw new OverOptConfigurationException($"the name '{proxy.Name}' is used twice or is reserved.", $"{prefix}.name", "give every proxy its own name other than 'gold'.");
            }
            Nested(prefix, () => proxy.Validate(Sampling.PromptLength + Sampling.ResponseLength));
            if (proxy.IsEnsemble && !Proxies.Any(p => p.Name == proxy.Of && p.Kind == TransformerRewardModel.KindName))
            {
                throw new OverOptConfigurationException($"ensemble '{proxy.Name}' is of '{proxy.Of}', which is not a transformer proxy of this pipeline.", $"{prefix}.of",
                    $"name one of: {string.Join(", ", Proxies.Where(p => p.Kind == TransformerRewardModel.KindName).Select(p => p.Name))}.");
            }
        }
        if (BestOfN.Prompts < 0)
        {
            throw new OverOptConfigurationException($"bestOfN.prompts = {BestOfN.Prompts} is negative.", "bestOfN.prompts", "use 0 to skip best-of-n, or e.g. 64.");
        }
        if (BestOfN.MaxN > BestOfN.SamplesPerPrompt || BestOfN.MaxN < 1)
        {
            throw new OverOptConfigurationException(
                $"bestOfN.maxN = {BestOfN.MaxN} but N = bestOfN.samplesPerPrompt = {BestOfN.SamplesPerPrompt}; the unbiased estimator needs 1 <= n <= N.",
                "bestOfN.maxN", $"lower bestOfN.maxN to at most {BestOfN.SamplesPerPrompt}, or raise bestOfN.samplesPerPrompt to at least {BestOfN.MaxN}.");
        }
        for (int i = 0; i < (Ppo.Proxies?.Count ?? 0); i++)
        {
            if (!Proxies.Any(p => p.Name == Ppo.Proxies![i]))
            {
                throw new OverOptConfigurationException($"ppo.proxies names '{Ppo.Proxies![i]}', which is not among the proxies.", $"ppo.proxies[{i}]",
                    $"use one of: {string.Join(", ", Proxies.Select(p => p.Name))}, or \"ppo\": {{ \"proxies\": [] }} to run no PPO.");
            }
        }
        foreach (var (value, field) in new[] { (Ppo.Seeds.Count, "ppo.seeds (count)"), (Ppo.KlCoefficients.Count, "ppo.klCoefficients (count)") })
        {
            Require.Positive(value, field);
        }
        if (Ppo.Seeds.Distinct().Count() != Ppo.Seeds.Count)
        {
            throw new OverOptConfigurationException($"ppo.seeds lists a seed twice ({string.Join(", ", Ppo.Seeds)}).", "ppo.seeds", "list each seed once, e.g. [1, 2, 3].");
        }
        for (int i = 0; i < Ppo.KlCoefficients.Count; i++)
        {
            if (!(Ppo.KlCoefficients[i] >= 0) || double.IsInfinity(Ppo.KlCoefficients[i]))
            {
                throw new OverOptConfigurationException($"ppo.klCoefficients[{i}] = {Ppo.KlCoefficients[i]}; a KL coefficient is 0 or more.", $"ppo.klCoefficients[{i}]", "use 0 (no penalty) or e.g. 0.05.");
            }
        }
        if (ThreadsPerJob < 0)
        {
            throw new OverOptConfigurationException($"threadsPerJob = {ThreadsPerJob}; it counts threads.", "threadsPerJob", "use 1 (the default: jobs side by side, one thread each) or 0 (one after another at the process's threads).");
        }
        // The PPO settings as the trainer checks them (sampling's fields are checked above, under sampling).
        Nested("ppo", () => Ppo.Options(Sampling, klCoefficient: 0, seed: 1).ValidateSettings());
        if (BestOfN.Points < 2 || BestOfN.BootstrapResamples < 10)
        {
            throw new OverOptConfigurationException("bestOfN.points must be at least 2 and bootstrapResamples at least 10.", BestOfN.Points < 2 ? "bestOfN.points" : "bestOfN.bootstrapResamples", "use the defaults (12 points, 1000 resamples).");
        }
    }

    private static void Nested(string prefix, Action validate)
    {
        try
        {
            validate();
        }
        catch (OverOptConfigurationException e)
        {
            throw new OverOptConfigurationException(e.Problem, $"{prefix}.{e.Field}", e.Fix, e.File, e.InnerException);
        }
    }
}

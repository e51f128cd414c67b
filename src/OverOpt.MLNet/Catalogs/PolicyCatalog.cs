using System.Text.Json;
using Microsoft.ML;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Pretraining;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet;

/// <summary>Policies: pretraining pi_init, loading saved ones, and sampling into an IDataView. Reached as <c>mlContext.Policies()</c>.</summary>
public sealed class PolicyCatalog
{
    private readonly MLContext _ml;

    internal PolicyCatalog(MLContext ml)
    {
        TorchRuntime.EnsureLoaded();
        _ml = ml;
    }

    /// <summary>Pretrains pi_init on <paramref name="corpus"/> with a tokenizer built from it.</summary>
    public Policy Pretrain(TextCorpus corpus, PretrainingOptions options, Device? device = null, IProgress<ProgressUpdate>? progress = null)
    {
        var tokenizer = WordTokenizer.Train(corpus.Stories);
        return new PolicyPretrainer(options).Fit(corpus, tokenizer, Provenance(corpus, tokenizer, options), device ?? CPU, progress);
    }

    /// <summary>
    /// As <see cref="Pretrain(TextCorpus, PretrainingOptions, Device?, IProgress{ProgressUpdate}?)"/>, but reuses the policy in
    /// <paramref name="cache"/> built from the same corpus, shape, options and seed; a corrupt or mismatched file is rebuilt.
    /// </summary>
    public Policy Pretrain(TextCorpus corpus, PretrainingOptions options, ArtifactCache cache, Device? device = null, IProgress<ProgressUpdate>? progress = null)
    {
        var tokenizer = WordTokenizer.Train(corpus.Stories);
        string key = Provenance(corpus, tokenizer, options);
        // Beside the artifact, under its build lock: a killed build resumes there, and a saved one needs it no more.
        string checkpoints = options.CheckpointDirectory ?? Path.ChangeExtension(cache.PathFor("policies", key), ".training");
        return cache.GetOrBuild(
            "policies",
            key,
            path => Policy.Load(path, device),
            policy => policy.Description.Provenance,
            () => new PolicyPretrainer(options.WithCheckpoints(checkpoints)).Fit(corpus, tokenizer, key, device ?? CPU, progress),
            (policy, path) =>
            {
                policy.Save(path);
                if (options.CheckpointDirectory is null && Directory.Exists(checkpoints))
                {
                    Directory.Delete(checkpoints, recursive: true);
                }
            });
    }

    /// <summary>
    /// Prompts as rows of one <c>PromptTokens</c> column (<see cref="RewardInput"/>): what gold and PPO fit on and what a
    /// trained policy transforms.
    /// </summary>
    public IDataView PromptRows(IEnumerable<int[]> prompts) => _ml.Data.LoadFromEnumerable(prompts.Select(p => new RewardInput { PromptTokens = p }));

    /// <summary>Loads a policy saved by <see cref="Policy.Save"/> onto <paramref name="device"/> (the CPU when null).</summary>
    public Policy Load(string path, Device? device = null) => Policy.Load(path, device);

    /// <summary>
    /// Samples <paramref name="samplesPerPrompt"/> responses to each prompt from <paramref name="policy"/> and returns them as an
    /// IDataView of <see cref="PolicySampleRow"/>, with log-probabilities and exact KL against <paramref name="reference"/>
    /// (the policy itself when null).
    /// </summary>
    public IDataView Sample(Policy policy, IReadOnlyList<int[]> prompts, int samplesPerPrompt, SamplingOptions options, int seed, Policy? reference = null)
    {
        using var generator = new Generator((ulong)seed, policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, (reference ?? policy).Model, prompts, samplesPerPrompt, options, generator);
        var rows = samples.Select((s, i) => new PolicySampleRow
        {
            PromptIndex = i / samplesPerPrompt,
            Prompt = policy.Tokenizer.Decode(s.Prompt),
            Response = policy.Tokenizer.Decode(s.Response),
            PromptTokens = s.Prompt,
            ResponseTokens = s.Response,
            LogProb = s.LogProbs.Sum(),
            ReferenceLogProb = s.ReferenceLogProbs.Sum(),
            Kl = (float)s.Kl,
        }).ToList();
        return _ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>The canonical description of everything that determines a pretrained policy's weights: the cache key.</summary>
    public static string Provenance(TextCorpus corpus, WordTokenizer tokenizer, PretrainingOptions options)
        => JsonSerializer.Serialize(new
        {
            artifact = Policy.ArchiveKind,
            format = Policy.FormatVersion,
            kernels = CpuKernels.Fingerprint,
            corpus = corpus.ContentHash,
            vocabulary = tokenizer.VocabularySize,
            shape = options.Shape with { VocabularySize = tokenizer.VocabularySize },
            options.Seed,
            pretraining = options,
        }, ArchiveJson.Options);
}

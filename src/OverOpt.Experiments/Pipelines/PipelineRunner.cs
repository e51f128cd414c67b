using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Pretraining;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// Runs a <see cref="PipelineDefinition"/>: pretrains (or reuses) every policy, samples from the first (policies.csv,
/// pretrain-&lt;policy&gt;.csv, samples.csv), then, where the pipeline has a gold model, the reward models, best-of-n
/// and PPO (<see cref="OveroptimizationRun"/>), and finally summary.json, all into the output folder.
/// </summary>
public sealed class PipelineRunner
{
    private readonly MLContext _ml;

    public PipelineRunner(MLContext ml)
    {
        _ml = ml;
    }

    public PipelineResult Run(PipelineDefinition pipeline, PipelineRunOptions run)
    {
        pipeline.Validate();
        var clock = Stopwatch.StartNew();
        string output = Path.GetFullPath(run.OutputDirectory ?? Path.Combine("runs", pipeline.Name));
        // Before any work: a folder that cannot be written should not cost a pretraining run first.
        FileSystemProblem.RequireWritableFolder(output, "--output");
        FileSystemProblem.RequireWritableFolder(run.CacheDirectory, "--cache");
        Directory.CreateDirectory(output);
        var corpus = pipeline.LoadCorpus();
        var reused = new HashSet<string>(StringComparer.Ordinal);
        var cache = OpenCache(run, reused);

        var results = new List<PolicyResult>();
        var policies = new List<Policy>();
        try
        {
            foreach (var spec in pipeline.Policies)
            {
                var policy = Pretrain(pipeline, spec, corpus, cache, run);
                policies.Add(policy);
                results.Add(Describe(spec, policy, cache, reused, output));
            }
            WritePolicies(results, Path.Combine(output, OutputFiles.Policies));
            double pretrainSeconds = clock.Elapsed.TotalSeconds;

            var prompts = PromptSplit.Create(policies[0].Tokenizer, corpus, pipeline.Sampling.PromptLength);
            run.Log($"prompts: {prompts.Train.Count} distinct for training, {prompts.HeldOut.Count} held out, from {prompts.Openings} story openings");
            if (pipeline.Gold is not null && prompts.HeldOut.Count < pipeline.BestOfN.Prompts)
            {
                // Checked before gold and the proxies are trained, not after.
                throw new OverOptConfigurationException(
                    $"{pipeline.BestOfN.Prompts} best-of-n prompts were asked for, but the corpus has only {prompts.HeldOut.Count} distinct held-out prompts of {pipeline.Sampling.PromptLength} tokens.",
                    "bestOfN.prompts", $"ask for at most {prompts.HeldOut.Count}, or lengthen sampling.promptLength (longer openings are more varied).");
            }
            var sampling = Sample(pipeline, prompts, policies[0], run);
            WriteSamples(pipeline.Policies[0].Name, policies[0].Tokenizer, sampling.Samples, pipeline.Sampling.SamplesPerPrompt, Path.Combine(output, OutputFiles.Samples));
            var result = new PipelineResult
            {
                Pipeline = pipeline.Name,
                Seed = pipeline.Seed,
                Corpus = corpus.Source,
                VocabularySize = policies[0].Tokenizer.VocabularySize,
                Policies = results,
                SampledResponses = sampling.Samples.Count,
                SampledTokensPerSecond = sampling.TokensPerSecond,
                MeanResponseKl = sampling.Samples.Average(s => s.Kl),
                TrainPrompts = prompts.Train.Count,
                HeldOutPrompts = prompts.HeldOut.Count,
                PromptSources = prompts.Openings,
                StageSeconds = new Dictionary<string, double> { ["pretraining"] = pretrainSeconds },
                OutputDirectory = output,
            };
            if (pipeline.Gold is not null)
            {
                result = new OveroptimizationRun(_ml, pipeline, run, cache, reused).Run(corpus, policies, prompts, output, result, clock);
            }
            result = result with { WallSeconds = clock.Elapsed.TotalSeconds };
            AtomicFile.WriteAllText(Path.Combine(output, OutputFiles.Summary), JsonSerializer.Serialize(result, ArchiveJson.Options));
            run.Log($"wrote {output}/summary.json and the CSV files{(pipeline.Gold is null ? "" : ", plots and report.md")}");
            return result;
        }
        finally
        {
            foreach (var policy in policies)
            {
                policy.Dispose();
            }
        }
    }

    /// <summary>
    /// Pretrains (or reuses) into the cache the language models that the transformer proxies among
    /// <paramref name="proxies"/> start from, as a run of <paramref name="pipeline"/> with them would, one a shape; returns
    /// how many. A sweep's prepare step builds them once, so that no task waits on another's lock while a core idles.
    /// </summary>
    public int PretrainProxyLanguageModels(PipelineDefinition pipeline, IEnumerable<ProxySpec> proxies, PipelineRunOptions run)
    {
        pipeline.Validate();
        FileSystemProblem.RequireWritableFolder(run.CacheDirectory, "--cache");
        var corpus = pipeline.LoadCorpus();
        var stage = new RewardModelStage(_ml, pipeline, run, OpenCache(run, new HashSet<string>(StringComparer.Ordinal)));
        int count = 0;
        foreach (var spec in proxies.Where(p => p.Kind == MLNet.RewardModels.TransformerRewardModel.KindName && p.Pretrained).DistinctBy(p => (p.Layers, p.ModelDim, p.Heads)))
        {
            using var languageModel = stage.LanguageModelFor(spec, corpus);
            count++;
        }
        return count;
    }

    /// <summary>The artifact cache, its events told to the run's log; the artifacts it reused are added to <paramref name="reused"/>.</summary>
    private static ArtifactCache OpenCache(PipelineRunOptions run, HashSet<string> reused)
    {
        var cache = new ArtifactCache(run.CacheDirectory);
        cache.Rejected += run.Log;
        cache.Reused += path =>
        {
            // Proxies are built or loaded side by side.
            lock (reused)
            {
                reused.Add(path);
            }
            run.Log($"reusing {path}");
        };
        cache.Built += path => run.Log($"saved {path}");
        cache.Waiting += run.Log;
        return cache;
    }

    private Policy Pretrain(PipelineDefinition pipeline, PolicySpec spec, TextCorpus corpus, ArtifactCache cache, PipelineRunOptions run)
    {
        var options = CopyOf(pipeline.Pretraining);
        options.Shape = spec.ToShape(vocabularySize: 0);
        options.Seed = pipeline.Seed;
        return _ml.Policies().Pretrain(corpus, options, cache, run.Device, RelabelledProgress.Wrap(run.Progress, stage => $"{stage} {spec.Name}"));
    }

    private static PolicyResult Describe(PolicySpec spec, Policy policy, ArtifactCache cache, IReadOnlySet<string> reused, string output)
    {
        var d = policy.Description;
        var log = new CsvTable("step", "learning_rate", "train_loss", "validation_loss");
        foreach (var row in d.TrainingLog)
        {
            log.Add(row.Step, row.LearningRate, row.TrainLoss, row.ValidationLoss);
        }
        log.Save(Path.Combine(output, $"pretrain-{spec.Name}.csv"));
        string artifact = cache.PathFor("policies", d.Provenance);
        return new PolicyResult(spec.Name, policy.Shape.ToString(), d.Parameters, d.InitialValidationLoss, d.ValidationLoss, d.TrainingSeconds, reused.Contains(artifact), artifact);
    }

    private static (IReadOnlyList<PolicySample> Samples, double TokensPerSecond) Sample(PipelineDefinition pipeline, PromptSplit prompts, Policy policy, PipelineRunOptions run)
    {
        var spec = pipeline.Sampling;
        if (prompts.HeldOut.Count < spec.Prompts)
        {
            throw new OverOptConfigurationException(
                $"{spec.Prompts} prompts were asked for, but the corpus has only {prompts.HeldOut.Count} distinct held-out prompts of {spec.PromptLength} tokens.",
                "sampling.prompts", $"ask for at most {prompts.HeldOut.Count} prompts, or shorten sampling.promptLength.");
        }
        var clock = Stopwatch.StartNew();
        using var generator = new Generator((ulong)pipeline.Seed, run.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, prompts.HeldOut.Take(spec.Prompts).ToArray(), spec.SamplesPerPrompt, spec.ToOptions(), generator, run.Progress);
        double tokensPerSecond = samples.Count * spec.ResponseLength / clock.Elapsed.TotalSeconds;
        return (samples, tokensPerSecond);
    }

    private static void WritePolicies(IEnumerable<PolicyResult> results, string path)
    {
        var table = new CsvTable("policy", "shape", "parameters", "initial_validation_loss", "validation_loss", "training_seconds", "from_cache", "artifact");
        foreach (var r in results)
        {
            table.Add(r.Name, r.Shape, r.Parameters, r.InitialValidationLoss, r.ValidationLoss, r.TrainingSeconds, r.FromCache, r.Artifact);
        }
        table.Save(path);
    }

    private static void WriteSamples(string policyName, WordTokenizer tokenizer, IReadOnlyList<PolicySample> samples, int samplesPerPrompt, string path)
    {
        var table = new CsvTable("policy", "prompt_index", "sample", "prompt", "response", "log_prob", "reference_log_prob", "kl");
        for (int i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            table.Add(policyName, i / samplesPerPrompt, i % samplesPerPrompt, tokenizer.Decode(s.Prompt), tokenizer.Decode(s.Response),
                s.LogProbs.Sum(), s.ReferenceLogProbs.Sum(), s.Kl);
        }
        table.Save(path);
    }

    private static PretrainingOptions CopyOf(PretrainingOptions options)
        => JsonSerializer.Deserialize<PretrainingOptions>(JsonSerializer.Serialize(options, ArchiveJson.Options), ArchiveJson.Options)!;
}

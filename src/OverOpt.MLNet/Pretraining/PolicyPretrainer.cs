using System.Diagnostics;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Pretraining;

/// <summary>
/// Trains pi_init by next-token prediction on random windows of a corpus's training stories, and measures the
/// cross-entropy on fixed windows of the held-out stories. Deterministic for a seed at a fixed thread count.
/// </summary>
public sealed class PolicyPretrainer
{
    private readonly PretrainingOptions _options;

    /// <summary>A pretrainer with <paramref name="options"/>, checked here (an impossible value throws <see cref="Runtime.OverOptConfigurationException"/>).</summary>
    public PolicyPretrainer(PretrainingOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Rows logged at every evaluation, filled by <see cref="Fit"/>.</summary>
    public List<PretrainingLogRow> Log { get; } = [];

    /// <summary>
    /// Pretrains a new <see cref="GptModel"/> of the options' shape (vocabulary from <paramref name="tokenizer"/>) on the corpus and
    /// returns it as a policy whose description holds the held-out losses before and after, and the log.
    /// </summary>
    /// <param name="corpus">Its training stories are trained on; its held-out tenth is measured.</param>
    /// <param name="tokenizer">Fixes the vocabulary and the ids.</param>
    /// <param name="provenance">Recorded in the description: the artifact cache's key (see <see cref="PolicyCatalog.Provenance"/>).</param>
    /// <param name="device">Where the model trains and stays.</param>
    /// <param name="progress">Receives a line at every evaluation; null for none.</param>
    public Policy Fit(TextCorpus corpus, WordTokenizer tokenizer, string provenance, Device device, IProgress<ProgressUpdate>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var shape = _options.Shape with { VocabularySize = tokenizer.VocabularySize };
        var train = TextCorpus.Encode(tokenizer, corpus.TrainStories);
        var validation = TextCorpus.Encode(tokenizer, corpus.ValidationStories);
        int window = shape.Context + 1;
        if (train.Length <= window || validation.Length <= window)
        {
            throw new ArgumentException($"The corpus '{corpus.Source}' is shorter than one window of {window} tokens in its training or held-out part.", nameof(corpus));
        }

        var model = new GptModel(shape, _options.Seed);
        model.to(device);
        using var validationBatch = ValidationWindows(validation, window, device);
        double initialLoss = Evaluate(model, validationBatch);
        Log.Add(new PretrainingLogRow(0, 0, double.NaN, initialLoss));
        progress?.Report(new ProgressUpdate("pretrain", 0, _options.Steps, $"held-out loss {initialLoss:F3}"));

        using var optimizer = new AdamOptimizer(model.parameters(), _options.LearningRate, weightDecay: _options.WeightDecay);
        var order = new Random(_options.Seed);
        // Hashing the tokens and weights is wasted where no checkpoint is kept.
        string fingerprint = _options.CheckpointDirectory is null ? "" : Fingerprint(provenance, train, model);
        var restored = Restore(fingerprint, model, optimizer, progress);
        // The windows are replayed rather than saved: the resumed steps then see the batches an uninterrupted run sees.
        for (int step = 1; step <= (restored?.Step ?? 0); step++)
        {
            WindowStarts(train.Length - window + 1, order);
        }
        if (restored is not null)
        {
            Log.Clear();
            Log.AddRange(restored.Log);
        }
        double validationLoss = restored?.ValidationLoss ?? initialLoss;
        double runningLoss = restored?.RunningLoss ?? double.NaN;
        double earlierSeconds = restored?.Seconds ?? 0;
        model.train();
        for (int step = (restored?.Step ?? 0) + 1; step <= _options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            double learningRate = LearningRateSchedule.At(step, _options.Steps, _options.WarmupSteps, _options.LearningRate);
            optimizer.LearningRate = learningRate;
            var batch = TrainingWindows(train, WindowStarts(train.Length - window + 1, order), window, device);
            var loss = NextTokenLoss(model, batch);
            optimizer.ZeroGrad();
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), _options.GradientClip);
            optimizer.Step();
            double value = loss.item<float>();
            runningLoss = double.IsNaN(runningLoss) ? value : 0.9 * runningLoss + 0.1 * value;
            if (step % _options.EvaluationInterval == 0 || step == _options.Steps)
            {
                validationLoss = Evaluate(model, validationBatch);
                model.train();
                Log.Add(new PretrainingLogRow(step, learningRate, runningLoss, validationLoss));
                progress?.Report(new ProgressUpdate("pretrain", step, _options.Steps, $"train loss {runningLoss:F3}, held-out loss {validationLoss:F3}"));
            }
            if (_options.CheckpointDirectory is { } directory && (step % _options.CheckpointInterval == 0 || step == _options.Steps))
            {
                TrainingCheckpoint.Write(CheckpointPath(directory), CheckpointKind, fingerprint, [model], optimizer,
                    new CheckpointState(step, runningLoss, validationLoss, [.. Log], earlierSeconds + clock.Elapsed.TotalSeconds));
            }
        }
        model.eval();
        var description = new PolicyDescription
        {
            Provenance = provenance,
            CorpusSource = corpus.Source,
            Parameters = model.ParameterCount,
            TrainingSteps = _options.Steps,
            InitialValidationLoss = initialLoss,
            ValidationLoss = validationLoss,
            TrainingSeconds = earlierSeconds + clock.Elapsed.TotalSeconds,
            TrainingLog = Log.ToArray(),
        };
        return new Policy(model, tokenizer, description);
    }

    /// <summary>Mean next-token cross-entropy (nats per token) of <paramref name="model"/> on held-out windows.</summary>
    public static double Evaluate(GptModel model, Tensor windows, int batchSize = 64)
    {
        model.eval();
        using var noGrad = no_grad();
        double total = 0;
        long count = windows.shape[0];
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = windows.narrow(0, start, Math.Min(batchSize, count - start));
            total += NextTokenLoss(model, batch).item<float>() * batch.shape[0];
        }
        return total / count;
    }

    /// <summary>Non-overlapping windows from the start of the held-out stream, up to <see cref="PretrainingOptions.ValidationWindows"/>.</summary>
    public Tensor ValidationWindows(int[] tokens, int window, Device device)
    {
        int count = Math.Min(_options.ValidationWindows, tokens.Length / window);
        var data = new long[count * window];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = tokens[i];
        }
        using var cpu = tensor(data, [count, window], ScalarType.Int64);
        return cpu.to(device);
    }

    /// <summary>Where each of a step's training windows starts: the step's only random draws.</summary>
    private int[] WindowStarts(int positions, Random order)
        => Enumerable.Range(0, _options.BatchSize).Select(_ => order.Next(positions)).ToArray();

    private Tensor TrainingWindows(int[] tokens, int[] starts, int window, Device device)
    {
        var data = new long[_options.BatchSize * window];
        for (int b = 0; b < _options.BatchSize; b++)
        {
            int start = starts[b];
            for (int i = 0; i < window; i++)
            {
                data[b * window + i] = tokens[start + i];
            }
        }
        using var cpu = tensor(data, [_options.BatchSize, window], ScalarType.Int64);
        return cpu.to(device);
    }

    private const string CheckpointKind = "OverOpt.PretrainingCheckpoint";

    private static string CheckpointPath(string directory) => Path.Combine(directory, "pretrain.checkpoint.zip");

    /// <summary>What a checkpoint restores besides the weights and the optimizer.</summary>
    private sealed record CheckpointState(int Step, double RunningLoss, double ValidationLoss, PretrainingLogRow[] Log, double Seconds);

    /// <summary>The provenance, every option, the training tokens and the starting weights: whatever a step's numbers depend on.</summary>
    private string Fingerprint(string provenance, int[] train, GptModel model)
    {
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            provenance,
            options = _options,
            _options.Seed,
            Tokens = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(train.AsSpan()))),
            InitialWeights = TrainingCheckpoint.WeightsHash(model),
        });
    }

    private CheckpointState? Restore(string fingerprint, GptModel model, AdamOptimizer optimizer, IProgress<ProgressUpdate>? progress)
    {
        if (_options.CheckpointDirectory is not { } directory)
        {
            return null;
        }
        string path = CheckpointPath(directory);
        var state = TrainingCheckpoint.TryRestore<CheckpointState>(path, CheckpointKind, fingerprint, [model], optimizer,
            discarded: message => progress?.Report(new ProgressUpdate("pretrain", 0, _options.Steps, message)));
        if (state is not null)
        {
            progress?.Report(new ProgressUpdate("pretrain", state.Step, _options.Steps, $"resumed from {path}"));
        }
        return state;
    }

    private static Tensor NextTokenLoss(GptModel model, Tensor windows)
    {
        long length = windows.shape[1] - 1;
        var inputs = windows.narrow(1, 0, length);
        var targets = windows.narrow(1, 1, length);
        var logits = model.forward(inputs);
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1));
    }
}

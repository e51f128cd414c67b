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
        double validationLoss = initialLoss;
        double runningLoss = double.NaN;
        model.train();
        for (int step = 1; step <= _options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            double learningRate = LearningRateSchedule.At(step, _options.Steps, _options.WarmupSteps, _options.LearningRate);
            optimizer.LearningRate = learningRate;
            var batch = TrainingWindows(train, window, order, device);
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
            TrainingSeconds = clock.Elapsed.TotalSeconds,
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

    private Tensor TrainingWindows(int[] tokens, int window, Random order, Device device)
    {
        var data = new long[_options.BatchSize * window];
        for (int b = 0; b < _options.BatchSize; b++)
        {
            int start = order.Next(tokens.Length - window + 1);
            for (int i = 0; i < window; i++)
            {
                data[b * window + i] = tokens[start + i];
            }
        }
        using var cpu = tensor(data, [_options.BatchSize, window], ScalarType.Int64);
        return cpu.to(device);
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

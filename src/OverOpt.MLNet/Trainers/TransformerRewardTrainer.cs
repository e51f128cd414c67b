using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Progress;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Fits a transformer reward model to comparisons with the Bradley-Terry loss -log sigmoid(r(chosen) - r(rejected)),
/// then normalizes it on the responses it was trained on (pi_init's samples). An ordinary ML.NET estimator: it
/// reads a comparison IDataView (<see cref="ComparisonRow"/> columns) and returns a <see cref="RewardModel"/>.
/// </summary>
public sealed class TransformerRewardTrainer : IEstimator<RewardModel>
{
    private readonly MLContext _ml;
    private readonly Options _options;

    public TransformerRewardTrainer(MLContext mlContext, Options options)
    {
        TorchRuntime.EnsureLoaded();
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>Options of <see cref="TransformerRewardTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>Name of the model in curves and reports.</summary>
        public string Name = "proxy";

        /// <summary>The tokenizer of the policy whose samples are compared (sets the vocabulary).</summary>
        public WordTokenizer? Tokenizer;

        /// <summary>Size: layers, width, heads, context (the vocabulary comes from <see cref="Tokenizer"/>).</summary>
        public GptShape Shape = new() { Layers = 2, ModelDim = 32, Heads = 4, Context = 32 };

        /// <summary>Passes over the training comparisons.</summary>
        public int Epochs = 4;

        /// <summary>Comparisons per step (the paper's RM batch is 64).</summary>
        public int BatchSize = 64;

        public double LearningRate = 2e-3;

        public double WeightDecay = 0.01;

        public double GradientClip = 1.0;

        /// <summary>Seeds the weights and the order of comparisons.</summary>
        public int Seed = 1;

        /// <summary>
        /// A language model of the same shape (layers, width, heads, context, vocabulary) pretrained on the corpus, whose
        /// backbone initializes the reward model, as the paper's reward models start from pretrained language models;
        /// null: random weights.
        /// </summary>
        public Policy? PretrainedInitialization;

        /// <summary>Where to train.</summary>
        public Device? Device;

        /// <summary>Held-out comparisons for validation loss and accuracy (optional).</summary>
        public IDataView? ValidationData;

        public IProgress<ProgressUpdate>? Progress;

        internal void Validate()
        {
            (Shape with { VocabularySize = Require.Tokenizer(Tokenizer).VocabularySize }).Validate();
            Require.Positive(Epochs, "epochs");
            Require.Positive(BatchSize, "batchSize");
            if (!(LearningRate > 0))
            {
                throw new OverOptConfigurationException($"learningRate = {LearningRate} must be positive.", "learningRate", "use a value such as 1e-3.");
            }
        }
    }

    public RewardModel Fit(IDataView input)
    {
        var rows = ComparisonData.Read(_ml, input);
        var tokenizer = _options.Tokenizer!;
        var shape = _options.Shape with { VocabularySize = tokenizer.VocabularySize };
        int length = rows[0].PromptTokens.Length + rows[0].ChosenTokens.Length;
        if (length > shape.Context)
        {
            throw new OverOptConfigurationException($"prompt plus response is {length} tokens, more than the reward model's context of {shape.Context}.", "shape.context", $"use a context of at least {length}.");
        }
        var device = _options.Device ?? CPU;
        var network = new RewardNetwork(shape, _options.Seed);
        if (_options.PretrainedInitialization is { } pretrained)
        {
            network.InitializeBackbone(pretrained.Model);
        }
        network.to(device);
        Train(network, rows, device);
        network.eval();

        var info = new RewardModelInfo { Name = _options.Name, TrainingComparisons = rows.Count };
        var prompts = rows.SelectMany(r => new[] { r.PromptTokens, r.PromptTokens }).ToArray();
        var responses = rows.SelectMany(r => new[] { r.ChosenTokens, r.RejectedTokens }).ToArray();
        var model = TransformerRewardModel.Create(_ml, network, tokenizer, info, prompts, responses);
        return _options.ValidationData is null ? model : WithValidation(model, _options.ValidationData);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => RewardSchemas.WithScore(_ml, inputSchema);

    private void Train(RewardNetwork network, IReadOnlyList<ComparisonRow> rows, Device device)
    {
        int stepsPerEpoch = (rows.Count + _options.BatchSize - 1) / _options.BatchSize;
        int steps = stepsPerEpoch * _options.Epochs;
        using var optimizer = optim.AdamW(network.parameters(), _options.LearningRate, weight_decay: _options.WeightDecay);
        var order = new Random(_options.Seed);
        var indices = Enumerable.Range(0, rows.Count).ToArray();
        network.train();
        int step = 0;
        double running = double.NaN;
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            order.Shuffle(indices);
            for (int start = 0; start < indices.Length; start += _options.BatchSize)
            {
                using var scope = NewDisposeScope();
                step++;
                LearningRateSchedule.Apply(optimizer, LearningRateSchedule.At(step, steps, Math.Max(1, steps / 20), _options.LearningRate));
                var batch = indices.Skip(start).Take(_options.BatchSize).Select(i => rows[i]).ToArray();
                var sequences = Sequences(batch.Select(r => r.PromptTokens.Concat(r.ChosenTokens))
                    .Concat(batch.Select(r => r.PromptTokens.Concat(r.RejectedTokens))), device);
                var scores = network.forward(sequences);
                var margin = scores.narrow(0, 0, batch.Length) - scores.narrow(0, batch.Length, batch.Length);
                var loss = nn.functional.softplus(-margin).mean();
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(network.parameters(), _options.GradientClip);
                optimizer.step();
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                {
                    throw new InvalidOperationException($"reward model '{_options.Name}': the Bradley-Terry loss became {value} at step {step}. Lower the learning rate.");
                }
                running = double.IsNaN(running) ? value : 0.95 * running + 0.05 * value;
                if (step % 25 == 0 || step == steps)
                {
                    _options.Progress?.Report(new ProgressUpdate($"train {_options.Name}", step, steps, $"loss {running:F3}"));
                }
            }
        }
    }

    private RewardModel WithValidation(TransformerRewardModel model, IDataView validation)
    {
        var rows = ComparisonData.Read(_ml, validation);
        var prompts = rows.Select(r => r.PromptTokens).ToArray();
        var (loss, accuracy) = PairwiseMetrics.Compute(
            model.RawScore(prompts, rows.Select(r => r.ChosenTokens).ToArray()),
            model.RawScore(prompts, rows.Select(r => r.RejectedTokens).ToArray()));
        return model.WithInfo(model.Info with { ValidationLoss = loss, ValidationAccuracy = accuracy });
    }

    internal static Tensor Sequences(IEnumerable<IEnumerable<int>> sequences, Device device)
        => TokenTensors.Stack(sequences.Select(s => s.ToArray()).ToArray(), device);
}

using Microsoft.ML;
using Microsoft.ML.Runtime;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Fits a transformer reward model to comparisons with the Bradley-Terry loss -log sigmoid(r(chosen) - r(rejected)),
/// then normalizes it on the responses it was trained on (pi_init's samples). An ordinary ML.NET estimator: it reads
/// preference rows (<see cref="PreferenceRow"/>: two rows per comparison sharing a group id, label 1 chosen, 0
/// rejected; columns named in <see cref="RewardTrainerOptions"/>) and returns a <see cref="RewardModel"/> that adds
/// <c>Score</c> to those same rows, so it composes in estimator chains.
/// </summary>
public sealed class TransformerRewardTrainer : IEstimator<RewardModel>
{
    private readonly MLContext _ml;
    private readonly Options _options;
    private readonly int _seed;

    /// <summary>Use <c>mlContext.RewardModels().Trainers.Transformer</c>.</summary>
    public TransformerRewardTrainer(MLContext mlContext, Options options)
    {
        TorchRuntime.EnsureLoaded();
        options.Validate();
        _ml = mlContext;
        _options = options;
        // As ML.NET's trainers do: a seed drawn from the MLContext's own, so new MLContext(seed) fixes it.
        _seed = options.Seed ?? ((IHostEnvironment)mlContext).Register(nameof(TransformerRewardTrainer)).Rand.Next();
    }

    /// <summary>The defaults of <see cref="Options"/>, of the catalog's simple overload and of the pipelines' proxy specs.</summary>
    public static class Defaults
    {
        /// <summary>Transformer blocks.</summary>
        public const int Layers = 2;

        /// <summary>Width of the residual stream.</summary>
        public const int ModelDim = 32;

        /// <summary>Attention heads.</summary>
        public const int Heads = 4;

        /// <summary>Longest prompt plus response.</summary>
        public const int Context = 32;

        /// <summary>Passes over the training comparisons.</summary>
        public const int Epochs = 4;

        /// <summary>Comparisons per step (the paper's reward-model batch is 64).</summary>
        public const int BatchSize = 64;

        /// <summary>AdamW's peak learning rate (warm-up, then cosine decay).</summary>
        public const double LearningRate = 2e-3;
    }

    /// <summary>Options of <see cref="TransformerRewardTrainer"/>.</summary>
    public sealed class Options : RewardTrainerOptions
    {
        /// <summary>Size: layers, width, heads, context (the vocabulary comes from <see cref="RewardTrainerOptions.Tokenizer"/>).</summary>
        public GptShape Shape = new() { Layers = Defaults.Layers, ModelDim = Defaults.ModelDim, Heads = Defaults.Heads, Context = Defaults.Context };

        /// <summary>Passes over the training comparisons.</summary>
        public int Epochs = Defaults.Epochs;

        /// <summary>Comparisons per step.</summary>
        public int BatchSize = Defaults.BatchSize;

        /// <summary>Peak learning rate.</summary>
        public double LearningRate = Defaults.LearningRate;

        /// <summary>AdamW's decoupled weight decay.</summary>
        public double WeightDecay = 0.01;

        /// <summary>Largest gradient norm per step.</summary>
        public double GradientClip = 1.0;

        /// <summary>Seeds the weights and the order of comparisons; null: drawn from the MLContext's seed.</summary>
        public int? Seed;

        /// <summary>
        /// A language model of the same shape (layers, width, heads, context, vocabulary) pretrained on the corpus, whose
        /// backbone initializes the reward model, as the paper's reward models start from pretrained language models;
        /// null: random weights.
        /// </summary>
        public Policy? PretrainedInitialization;

        /// <summary>
        /// What the score head reads: pooled hidden states (the default), or those and the sequence's likelihood under
        /// the language-model head that comes with <see cref="PretrainedInitialization"/>.
        /// </summary>
        public RewardReadout Readout = RewardReadout.MeanPool;

        /// <summary>Where to train.</summary>
        public Device? Device;

        /// <summary>Receives the training loss every 25 steps.</summary>
        public IProgress<ProgressUpdate>? Progress;

        /// <summary>
        /// Where the training's checkpoint goes (<c>reward-model.checkpoint.zip</c>); null disables it. A training whose
        /// folder holds its checkpoint (same comparisons, starting weights and options) resumes from it, to the numbers of an
        /// uninterrupted one; a damaged one is discarded with a warning; one of another training stops it with the fix.
        /// </summary>
        public string? CheckpointDirectory;

        /// <summary>Steps between checkpoints (the last step also writes one).</summary>
        public int CheckpointInterval = 100;

        internal void Validate()
        {
            (Shape with { VocabularySize = RequireTokenizer(Tokenizer).VocabularySize }).Validate();
            ValidateSettings();
            RewardReadoutChecks.RequireLanguageModel(Readout, PretrainedInitialization is not null);
        }

        /// <summary>A copy of these options with another seed and name (an ensemble's member).</summary>
        internal Options WithSeed(int seed, string name)
        {
            var copy = (Options)MemberwiseClone();
            copy.Seed = seed;
            copy.Name = name;
            // Each member trains apart, so each keeps its own checkpoint.
            copy.CheckpointDirectory = CheckpointDirectory is null ? null : Path.Combine(CheckpointDirectory, name);
            return copy;
        }

        /// <summary>Checks every setting that needs neither data nor a tokenizer; an error names the option's field.</summary>
        public void ValidateSettings()
        {
            Shape.Validate(includeVocabulary: false);
            Require.Positive(Epochs, "epochs");
            Require.Positive(BatchSize, "batchSize");
            Require.Positive(CheckpointInterval, "checkpointInterval");
            if (!(LearningRate > 0))
            {
                throw new OverOptConfigurationException($"learningRate = {LearningRate} must be positive.", "learningRate", "use a value such as 1e-3.");
            }
            RewardReadoutChecks.RequireDefined(Readout);
        }
    }

    /// <summary>Trains on the preference rows of <paramref name="input"/>; the model adds <c>Score</c> to rows like them.</summary>
    public RewardModel Fit(IDataView input) => Fit(input, validationData: null);

    /// <summary>
    /// Trains on the preference rows of <paramref name="trainData"/>, as ML.NET's trainers do with a validation set:
    /// the model's <see cref="RewardModelInfo.ValidationLoss"/> and accuracy are measured on
    /// <paramref name="validationData"/> (held-out preference rows, the same columns), which training never reads.
    /// </summary>
    public RewardModel Fit(IDataView trainData, IDataView? validationData)
    {
        var input = trainData;
        var rows = PreferenceData.ReadPairs(_ml, input, _options.Columns, Purpose);
        var tokenizer = _options.Tokenizer!;
        var shape = _options.Shape with { VocabularySize = tokenizer.VocabularySize };
        int length = rows[0].PromptTokens.Length + rows[0].ChosenTokens.Length;
        if (length > shape.Context)
        {
            throw new OverOptConfigurationException($"prompt plus response is {length} tokens, more than the reward model's context of {shape.Context}.", "shape.context", $"use a context of at least {length}.");
        }
        var device = _options.Device ?? CPU;
        var network = new RewardNetwork(shape, _seed, _options.Readout);
        if (_options.PretrainedInitialization is { } pretrained)
        {
            network.InitializeBackbone(pretrained.Model);
        }
        network.to(device);
        Train(network, rows, device);
        network.eval();

        var info = new RewardModelInfo
        {
            Name = _options.Name, TrainingComparisons = rows.Count, PromptColumnName = _options.PromptColumnName, ResponseColumnName = _options.ResponseColumnName,
        };
        var prompts = rows.SelectMany(r => new[] { r.PromptTokens, r.PromptTokens }).ToArray();
        var responses = rows.SelectMany(r => new[] { r.ChosenTokens, r.RejectedTokens }).ToArray();
        var model = TransformerRewardModel.Create(_ml, network, tokenizer, info, prompts, responses);
        return _options.Validated(_ml, validationData, model);
    }

    /// <summary>The input's columns plus the float <c>Score</c>; checks the preference columns first.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        PreferenceData.RequireColumns(inputSchema, _options.Columns, Purpose);
        return RewardSchemas.WithScore(_ml, inputSchema);
    }

    private string Purpose => $"training reward model '{_options.Name}'";

    private void Train(RewardNetwork network, IReadOnlyList<ComparisonRow> rows, Device device)
    {
        int stepsPerEpoch = (rows.Count + _options.BatchSize - 1) / _options.BatchSize;
        int steps = stepsPerEpoch * _options.Epochs;
        // Hashing the comparisons and weights is wasted where no checkpoint is kept.
        string fingerprint = _options.CheckpointDirectory is null ? "" : RewardTrainingCheckpoint.Fingerprint(_options, rows, network, _seed);
        using var optimizer = new AdamOptimizer(network.parameters(), _options.LearningRate, weightDecay: _options.WeightDecay);
        var restored = Restore(fingerprint, network, optimizer, steps);
        int resumeAfter = restored?.Step ?? 0;
        var order = new Random(_seed);
        var indices = Enumerable.Range(0, rows.Count).ToArray();
        network.train();
        int step = 0;
        double running = restored?.RunningLoss ?? double.NaN;
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            // Shuffled in every epoch, resumed or not: the draws are replayed rather than saved, so the resumed steps see
            // the batches an uninterrupted run sees.
            order.Shuffle(indices);
            for (int start = 0; start < indices.Length; start += _options.BatchSize)
            {
                step++;
                if (step <= resumeAfter)
                {
                    continue;
                }
                using var scope = NewDisposeScope();
                optimizer.LearningRate = LearningRateSchedule.At(step, steps, Math.Max(1, steps / 20), _options.LearningRate);
                var batch = indices.Skip(start).Take(_options.BatchSize).Select(i => rows[i]).ToArray();
                var sequences = Sequences(batch.Select(r => r.PromptTokens.Concat(r.ChosenTokens))
                    .Concat(batch.Select(r => r.PromptTokens.Concat(r.RejectedTokens))), device);
                var scores = network.forward(sequences);
                var margin = scores.narrow(0, 0, batch.Length) - scores.narrow(0, batch.Length, batch.Length);
                var loss = (-margin).Softplus().mean();
                optimizer.ZeroGrad();
                loss.backward();
                nn.utils.clip_grad_norm_(network.parameters(), _options.GradientClip);
                optimizer.Step();
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
                if (_options.CheckpointDirectory is { } directory && (step % _options.CheckpointInterval == 0 || step == steps))
                {
                    TrainingCheckpoint.Write(RewardTrainingCheckpoint.PathIn(directory), RewardTrainingCheckpoint.Kind, fingerprint, [network], optimizer,
                        new TrainerCheckpoint.LoopState(step, running));
                }
            }
        }
    }

    /// <summary>The checkpoint of this training restored into the network and optimizer, or null (none, or none readable: a warning says so).</summary>
    private TrainerCheckpoint.LoopState? Restore(string fingerprint, RewardNetwork network, AdamOptimizer optimizer, int steps)
        => _options.CheckpointDirectory is { } directory
            ? TrainerCheckpoint.Restore(_ml, nameof(TransformerRewardTrainer), RewardTrainingCheckpoint.PathIn(directory), RewardTrainingCheckpoint.Kind, fingerprint, [network], optimizer, _options.Progress, $"train {_options.Name}", steps)
            : null;

    internal static Tensor Sequences(IEnumerable<IEnumerable<int>> sequences, Device device)
        => TokenTensors.Stack(sequences.Select(s => s.ToArray()).ToArray(), device);
}

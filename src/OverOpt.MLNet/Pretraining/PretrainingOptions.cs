using System.Text.Json.Serialization;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Pretraining;

/// <summary>Options of <see cref="PolicyPretrainer"/>: next-token training of pi_init on a corpus.</summary>
public sealed class PretrainingOptions
{
    /// <summary>The model's shape; its vocabulary size is ignored and taken from the tokenizer.</summary>
    [JsonIgnore]
    public GptShape Shape { get; set; } = new();

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; set; } = 600;

    /// <summary>Windows of <see cref="GptShape.Context"/> tokens per step.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Peak AdamW learning rate, reached after warm-up and annealed to a tenth by a cosine.</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>Steps of linear warm-up from 0 to <see cref="LearningRate"/>.</summary>
    public int WarmupSteps { get; set; } = 50;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Global gradient-norm clip.</summary>
    public double GradientClip { get; set; } = 1.0;

    /// <summary>Steps between held-out evaluations (and progress lines).</summary>
    public int EvaluationInterval { get; set; } = 100;

    /// <summary>Held-out windows used for each validation loss.</summary>
    public int ValidationWindows { get; set; } = 256;

    /// <summary>Seeds the weights and the order of training windows.</summary>
    [JsonIgnore]
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Where the training's checkpoint goes (<c>pretrain.checkpoint.zip</c>); null disables it (the cached overload of
    /// <c>Policies().Pretrain</c> then keeps one beside the artifact). A training whose folder holds its checkpoint
    /// resumes from it to the numbers of an uninterrupted one. Not part of the cache key: it changes no weight.
    /// </summary>
    [JsonIgnore]
    public string? CheckpointDirectory { get; set; }

    /// <summary>Steps between checkpoints (the last step also writes one).</summary>
    [JsonIgnore]
    public int CheckpointInterval { get; set; } = 200;

    /// <summary>A copy of these options with checkpoints in <paramref name="directory"/>.</summary>
    internal PretrainingOptions WithCheckpoints(string directory)
    {
        var copy = (PretrainingOptions)MemberwiseClone();
        copy.CheckpointDirectory = directory;
        return copy;
    }

    /// <summary>Throws <see cref="OverOptConfigurationException"/> naming the field and the fix for an impossible shape, count, learning rate or warm-up.</summary>
    public void Validate()
    {
        Shape.Validate(includeVocabulary: false);
        Require.Positive(Steps, "steps");
        Require.Positive(BatchSize, "batchSize");
        Require.Positive(EvaluationInterval, "evaluationInterval");
        Require.Positive(ValidationWindows, "validationWindows");
        Require.Positive(CheckpointInterval, "checkpointInterval");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new OverOptConfigurationException($"learningRate = {LearningRate}, but it must be a positive number.", "learningRate", "use a value such as 3e-3.");
        }
        if (WarmupSteps < 0)
        {
            throw new OverOptConfigurationException($"warmupSteps = {WarmupSteps} is negative.", "warmupSteps", "use 0 or more.");
        }
    }
}

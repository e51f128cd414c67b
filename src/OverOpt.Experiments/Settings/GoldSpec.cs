namespace OverOpt.Experiments.Settings;

/// <summary>The gold reward model of a pipeline (see GoldRewardTrainer): its size and training.</summary>
public sealed class GoldSpec
{
    public int Layers { get; set; } = 4;

    public int ModelDim { get; set; } = 128;

    public int Heads { get; set; } = 4;

    public int Steps { get; set; } = 1000;

    public int BatchSize { get; set; } = 64;

    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Start from a language model of gold's shape pretrained on the corpus (cached).</summary>
    public bool Pretrained { get; set; } = true;

    /// <summary>Training prompts; each gets <see cref="SamplesPerPrompt"/> pi_init responses.</summary>
    public int Prompts { get; set; } = 1500;

    public int SamplesPerPrompt { get; set; } = 8;

    /// <summary>Share of training responses that are edited copies (cheer piled up, words repeated).</summary>
    public double EditedFraction { get; set; } = 0.5;
}

using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Policies;

/// <summary>The shape of a <see cref="GptModel"/>: what fixes its parameter count and its context.</summary>
public sealed record GptShape
{
    /// <summary>Transformer blocks.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Width of the residual stream; the MLP is four times wider.</summary>
    public int ModelDim { get; init; } = 64;

    /// <summary>Attention heads; must divide <see cref="ModelDim"/>.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Longest sequence (prompt plus response) the model attends over.</summary>
    public int Context { get; init; } = 32;

    /// <summary>Vocabulary size; set from the tokenizer when a policy is built from a corpus.</summary>
    public int VocabularySize { get; init; } = 64;

    /// <summary>Width of each attention head: <see cref="ModelDim"/> / <see cref="Heads"/>.</summary>
    public int HeadDim => ModelDim / Heads;

    /// <summary>Throws <see cref="OverOptConfigurationException"/> naming the field and the fix for an impossible shape.</summary>
    /// <param name="includeVocabulary">False where the vocabulary is not known yet (it comes from the tokenizer).</param>
    public void Validate(bool includeVocabulary = true)
    {
        Require.Positive(Layers, "layers");
        Require.Positive(ModelDim, "modelDim");
        Require.Positive(Heads, "heads");
        Require.Positive(Context, "context");
        if (includeVocabulary && VocabularySize < 4)
        {
            throw new OverOptConfigurationException($"the vocabulary has {VocabularySize} tokens; at least 4 are needed.", "vocabularySize", "use a tokenizer with a real vocabulary.");
        }
        if (ModelDim % Heads != 0)
        {
            int below = Enumerable.Range(1, Heads).Last(h => ModelDim % h == 0);
            throw new OverOptConfigurationException(
                $"heads = {Heads} does not divide modelDim = {ModelDim}, so the heads cannot split the width evenly.",
                "heads",
                $"choose heads that divide modelDim (e.g. {below}), or a modelDim that is a multiple of {Heads} (e.g. {(ModelDim / Heads + 1) * Heads}).");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Layers} layers, d={ModelDim}, {Heads} heads, context {Context}, vocab {VocabularySize}";
}

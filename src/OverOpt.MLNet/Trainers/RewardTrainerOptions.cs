using Microsoft.ML;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// What every reward trainer's options share: the model's name, the tokenizer, the columns of the preference rows it
/// trains on (<see cref="Comparisons.PreferenceRow"/> layout) and optional held-out rows in the same layout.
/// </summary>
public abstract class RewardTrainerOptions
{
    /// <summary>Name of the model in curves and reports.</summary>
    public string Name = "proxy";

    /// <summary>The tokenizer of the policy whose samples are compared (sets the vocabulary).</summary>
    public WordTokenizer? Tokenizer;

    /// <summary>The prompt's token ids; the fitted model reads the same column.</summary>
    public string PromptColumnName = RewardColumnDefaults.Prompt;

    /// <summary>The response's token ids; the fitted model reads the same column.</summary>
    public string ResponseColumnName = RewardColumnDefaults.Response;

    /// <summary>1 (or true) for the chosen response of a comparison, 0 (false) for the rejected one.</summary>
    public string LabelColumnName = RewardColumnDefaults.Label;

    /// <summary>The comparison each row belongs to: exactly two rows, with different labels, per group.</summary>
    public string RowGroupColumnName = RewardColumnDefaults.GroupId;

    internal RewardColumns Columns => new(PromptColumnName, ResponseColumnName, LabelColumnName, RowGroupColumnName);

    /// <summary><paramref name="model"/> with its validation loss and accuracy on <paramref name="validationData"/> (raw scores); itself without validation data.</summary>
    internal RewardModel Validated(MLContext mlContext, IDataView? validationData, RewardModel model)
        => validationData is null ? model : RewardModelValidation.Validated(mlContext, validationData, Columns, Name, model);

    /// <summary>The tokenizer given, or a configuration error saying which one to pass.</summary>
    private protected static WordTokenizer RequireTokenizer(WordTokenizer? tokenizer)
        => tokenizer ?? throw new OverOptConfigurationException("no tokenizer was given.", "tokenizer", "pass the tokenizer of the policy whose responses are compared (policy.Tokenizer).");
}

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// The column names reward models and their trainers use unless their options name others, in one place as ML.NET's
/// own defaults are.
/// </summary>
public static class RewardColumnDefaults
{
    /// <summary>The prompt's token ids (vector of Int32).</summary>
    public const string Prompt = "PromptTokens";

    /// <summary>The response's token ids (vector of Int32).</summary>
    public const string Response = "ResponseTokens";

    /// <summary>Preference label of a response within its comparison: 1 for the chosen, 0 for the rejected (Single or Boolean).</summary>
    public const string Label = "Label";

    /// <summary>Which comparison a response belongs to (an integer or key column), as ML.NET's ranking trainers group rows.</summary>
    public const string GroupId = "GroupId";

    /// <summary>The column a reward model adds: its score, normalized so that pi_init's samples have mean 0 and std 1.</summary>
    public const string Score = "Score";

    /// <summary>Optional gold score of a response (Single), carried for evaluation only.</summary>
    public const string Gold = "Gold";
}

namespace OverOpt.MLNet.RewardModels;

/// <summary>What a reward model adds to a row: its score, normalized so pi_init's samples have mean 0 and std 1.</summary>
public sealed class RewardScore
{
    /// <summary>Name of the column a reward model adds.</summary>
    public const string ScoreColumn = "Score";

    /// <summary>The row's score: raw where a network's mapping writes it, normalized once the chain's normalizer has run.</summary>
    public float Score { get; set; }
}

namespace OverOpt.MLNet.RewardModels;

/// <summary>What a reward model adds to a row: its score, normalized so pi_init's samples have mean 0 and std 1.</summary>
public sealed class RewardScore
{
    public const string ScoreColumn = "Score";

    public float Score { get; set; }
}

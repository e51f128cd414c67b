namespace OverOpt.MLNet.World;

/// <summary>How a story's goal ended.</summary>
public enum StoryOutcome
{
    /// <summary>Not resolved (yet).</summary>
    Open,

    /// <summary>Found, reached, or counted.</summary>
    Success,

    /// <summary>Never found or never reached: the character is sad at the end.</summary>
    Failure,
}

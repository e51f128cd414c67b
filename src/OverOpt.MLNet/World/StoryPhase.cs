namespace OverOpt.MLNet.World;

/// <summary>Where a story being read stands: which sentences may come next.</summary>
public enum StoryPhase
{
    /// <summary>Before the opening sentence that names the hero.</summary>
    Intro,

    /// <summary>After the opening sentence, before the goal.</summary>
    Goal,

    /// <summary>After the goal: events, or the ending.</summary>
    Middle,

    /// <summary>After the ending: only the effects, then the end token.</summary>
    Effects,
}

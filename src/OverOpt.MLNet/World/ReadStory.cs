namespace OverOpt.MLNet.World;

/// <summary>The state of one story as <see cref="StoryReader"/> rebuilt it from text (the counterpart of the generator's <see cref="StoryPlot"/>).</summary>
public sealed class ReadStory
{
    /// <summary>A story whose first token is at <paramref name="start"/>.</summary>
    public ReadStory(int start) => Start = start;

    /// <summary>The position of the story's first token in the read tokens.</summary>
    public int Start { get; }

    /// <summary>Where the story stands: which sentences may come next.</summary>
    public StoryPhase Phase { get; internal set; }

    /// <summary>The hero named by the opening sentence; null when the opening was unreadable or is still to come.</summary>
    public Character? Hero { get; internal set; }

    /// <summary>The goal the story stated.</summary>
    public GoalKind Goal { get; internal set; }

    /// <summary>Event sentences read so far, in order.</summary>
    public List<SentenceKind> Events { get; } = [];

    /// <summary>Characters met, in order.</summary>
    public List<Character> Met { get; } = [];

    /// <summary>Who holds the hero's treasure (null once lost and not found).</summary>
    public Character? Holder { get; internal set; }

    /// <summary>Foods held, in a gathering story.</summary>
    public int Count { get; internal set; }

    /// <summary>Index into <see cref="WorldTables.Weather"/> of the weather that came, or -1.</summary>
    public int Weather { get; internal set; } = -1;

    /// <summary>How the goal ended, as far as the text goes.</summary>
    public StoryOutcome Outcome { get; internal set; }

    /// <summary>Effect words ("sad", "wet", "cold") stated after the ending, in order.</summary>
    public List<string> Feelings { get; } = [];

    /// <summary>Whether the text ends the story with the end token (otherwise it stops mid-story and the ending cannot be judged).</summary>
    public bool Ended { get; internal set; }
}

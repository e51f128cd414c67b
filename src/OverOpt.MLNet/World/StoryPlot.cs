namespace OverOpt.MLNet.World;

/// <summary>
/// The state a story sets up and changes as it is written: who it is about, the goal, who was met, who holds the
/// treasure, the count, the weather, how the goal ended. The grammar reads it to know what may come next.
/// </summary>
public sealed class StoryPlot
{
    /// <summary>The character the story is about (its first word); null before it is named.</summary>
    public Character? Hero { get; internal set; }

    /// <summary>The goal stated in the opening.</summary>
    public GoalKind Goal { get; internal set; }

    /// <summary>Characters met so far, in order.</summary>
    public List<Character> Met { get; } = [];

    /// <summary>Who holds the hero's treasure: the hero at first, nobody (null) once lost, another character once given.</summary>
    public Character? Holder { get; internal set; }

    /// <summary>Who gave the hero more food, if anyone did.</summary>
    public Character? Giver { get; internal set; }

    /// <summary>Foods held in a gathering story.</summary>
    public int Count { get; internal set; }

    /// <summary>Index into <see cref="WorldTables.Weather"/> of the weather that came, or -1.</summary>
    public int Weather { get; internal set; } = -1;

    /// <summary>Events written so far, in order.</summary>
    public List<StoryEvent> Events { get; } = [];

    /// <summary>How the goal ended.</summary>
    public StoryOutcome Outcome { get; internal set; }

    /// <summary>Whether the hero's treasure has been named in the story (after that, naming it again is a copy).</summary>
    public bool TreasureNamed { get; internal set; }
}

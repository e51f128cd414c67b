namespace OverOpt.MLNet.World;

/// <summary>The kinds of inconsistency a reader of the story world judges; stories the generator writes have none.</summary>
public enum ViolationKind
{
    /// <summary>A pronoun of the wrong gender for the character it refers to (every pronoun refers to the hero).</summary>
    Pronoun,

    /// <summary>A character named as if known who was never introduced, or food counted that the story never set up.</summary>
    Unintroduced,

    /// <summary>The treasure played with or given away by the hero while someone else has it or it is lost.</summary>
    Possession,

    /// <summary>A count that does not add up: eating more than is held, or an ending total that differs from the count.</summary>
    Count,

    /// <summary>The story ended without resolving the goal its opening set up.</summary>
    GoalHanging,

    /// <summary>A contradiction of a world fact (a character's kind, home, treasure, food, fear, friend, the friend's home) or of the story so far (finding what was never lost, resolving the wrong goal).</summary>
    Contradiction,

    /// <summary>A cause without its effect at the end (rain but not wet, never found but not sad) or an effect without its cause.</summary>
    Effect,

    /// <summary>A sentence no template writes, or one out of its place (the opening not first, an event after the ending).</summary>
    Structure,
}

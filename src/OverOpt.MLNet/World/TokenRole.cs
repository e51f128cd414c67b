namespace OverOpt.MLNet.World;

/// <summary>
/// What decides a token of a story: what a model must know or track to predict it. Models are scored per role to see
/// which kind of structure a size step buys.
/// </summary>
public enum TokenRole
{
    /// <summary>A real choice: more than one token has positive probability here.</summary>
    Free,

    /// <summary>Forced by the template alone (the "the" after a name, the final mark).</summary>
    Grammar,

    /// <summary>Forced by a fact of the world seen for the first time in the story (a character's kind, home, pronoun).</summary>
    Fact,

    /// <summary>Forced by something the story already said (a pronoun used again, a name or object written before).</summary>
    Copy,

    /// <summary>Forced by arithmetic over counts the story stated earlier.</summary>
    Count,

    /// <summary>Forced by an earlier cause (rain, then wet) or the goal's outcome (failure, then sad).</summary>
    Effect,

    /// <summary>The &lt;bos&gt; that ends the story (the next story's begin token), forced after the last sentence.</summary>
    End,
}

namespace OverOpt.MLNet.World;

/// <summary>The sentences that can happen between a story's goal and its ending, each with the state it needs and changes.</summary>
public enum StoryEvent
{
    /// <summary>"then it rained ." (or snowed): the character is wet (or cold) at the end.</summary>
    Weather,

    /// <summary>"she met tobo the owl with his drum .": introduces a second character, stated with its kind, its pronoun and its treasure.</summary>
    Meet,

    /// <summary>"she saw a wasp and hid .": she hides from the thing she fears and smiles at anything else.</summary>
    Fear,

    /// <summary>"she played with her kite .": only while she holds her treasure.</summary>
    Play,

    /// <summary>"she dropped her kite .": only while she holds it; it is lost after.</summary>
    Drop,

    /// <summary>"she gave her kite to tobo .": only while she holds it, to a character the story introduced (met, or the friend she visits); tobo holds it after.</summary>
    Give,

    /// <summary>"she looked in the cave .": in any story, once.</summary>
    Search,

    /// <summary>"tobo gave her two more .": in a gathering story, a character she met adds to her count.</summary>
    Gift,

    /// <summary>"she ate one .": in a gathering story, lowers her count (she keeps at least one); she is full at the end.</summary>
    Eat,
}

namespace OverOpt.MLNet.World;

/// <summary>The open positions of a sentence template: which words may stand there.</summary>
public enum SlotKind
{
    /// <summary>A cast member's name.</summary>
    Name,

    /// <summary>A kind of animal in use.</summary>
    Kind,

    /// <summary>A place in use.</summary>
    Place,

    /// <summary>A treasure in use.</summary>
    Treasure,

    /// <summary>A food in use.</summary>
    Food,

    /// <summary>A thing to meet in use.</summary>
    Thing,

    /// <summary>A number word in use.</summary>
    Number,

    /// <summary>"he" or "she".</summary>
    Subject,

    /// <summary>"him" or "her".</summary>
    Object,

    /// <summary>"his" or "her".</summary>
    Possessive,

    /// <summary>"rained" or "snowed".</summary>
    Weather,

    /// <summary>"hid" or "smiled".</summary>
    Reaction,

    /// <summary>An effect word: "sad", "wet", "cold" or "full".</summary>
    Feeling,
}

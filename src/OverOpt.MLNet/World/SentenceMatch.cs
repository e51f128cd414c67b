namespace OverOpt.MLNet.World;

/// <summary>A sentence recognized as one template, with the word in each of its slots and where that word stands.</summary>
/// <param name="Kind">The template.</param>
/// <param name="Slots">Each slot's word and its 0-based position in the read tokens (no template has two slots of one kind).</param>
public sealed record SentenceMatch(SentenceKind Kind, IReadOnlyDictionary<SlotKind, (string Word, int Position)> Slots)
{
    /// <summary>Whether slot <paramref name="slot"/> is filled (a sentence cut short may not have reached it).</summary>
    public bool Has(SlotKind slot) => Slots.ContainsKey(slot);

    /// <summary>The word in slot <paramref name="slot"/>.</summary>
    public string Word(SlotKind slot) => Slots[slot].Word;

    /// <summary>The position of the word in slot <paramref name="slot"/>.</summary>
    public int Position(SlotKind slot) => Slots[slot].Position;
}

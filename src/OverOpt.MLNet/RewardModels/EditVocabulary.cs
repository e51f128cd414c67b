namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// The words a gold trainer's edited copies insert, off pi_init's distribution the ways an optimizer goes: words the
/// rule rewards at first (which a proxy learns to pile up), words it punishes, and sentence marks. Words missing from a
/// tokenizer's vocabulary are skipped, so one vocabulary serves every corpus of its world.
/// </summary>
/// <param name="Raising">Words the rule rewards in moderation (the exploitable surface term).</param>
/// <param name="Lowering">Words that cost score where they land (gloom words; pronouns that break the state).</param>
/// <param name="Marks">Sentence marks, for runs of marks and broken sentences.</param>
/// <param name="Exchanges">
/// Named groups of words that each state one fact of a story's state (the feelings its causes owe, the weather that came,
/// a character's pronouns, a hero's reaction), so that one put in the place of another of its set breaks a fact the rest
/// of the text set up, with nothing else changed: the smallest edit that teaches one term. Null: none (the rule has no
/// such facts).
/// </param>
public sealed record EditVocabulary(IReadOnlyList<string> Raising, IReadOnlyList<string> Lowering, IReadOnlyList<string> Marks,
    IReadOnlyList<ExchangeGroup>? Exchanges = null);

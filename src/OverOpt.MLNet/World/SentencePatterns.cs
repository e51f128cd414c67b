namespace OverOpt.MLNet.World;

/// <summary>
/// The templates of the story world's sentences as patterns of fixed words and slots, for reading text that may not
/// follow the grammar (a model's samples). A slot accepts any word of its class, pronouns of either gender included,
/// so that a wrong word is read as a violation of the story's state rather than as an unreadable sentence.
/// </summary>
public static class SentencePatterns
{
    private static readonly (SentenceKind Kind, object[] Elements)[] Patterns =
    [
        Pattern(SentenceKind.Intro, "Name the Kind lived in the Place"),
        Pattern(SentenceKind.GoalFind, "one day Subject lost Possessive Treasure"),
        Pattern(SentenceKind.GoalVisit, "one day Subject went to see Name"),
        Pattern(SentenceKind.GoalGather, "one day Subject picked Number Food"),
        Pattern(SentenceKind.Weather, "then it Weather"),
        Pattern(SentenceKind.Meet, "Subject met Name the Kind with Possessive Treasure"),
        Pattern(SentenceKind.Fear, "Subject saw a Thing and Reaction"),
        Pattern(SentenceKind.Play, "Subject played with Possessive Treasure"),
        Pattern(SentenceKind.Drop, "Subject dropped Possessive Treasure"),
        Pattern(SentenceKind.Give, "Subject gave Possessive Treasure to Name"),
        Pattern(SentenceKind.Search, "Subject looked in the Place"),
        Pattern(SentenceKind.Gift, "Name gave Object Number more"),
        Pattern(SentenceKind.Eat, "Subject ate Number"),
        Pattern(SentenceKind.Found, "at last Subject found Possessive Treasure in the Place"),
        Pattern(SentenceKind.NotFound, "but Subject never found Possessive Treasure"),
        Pattern(SentenceKind.Reached, "at last Subject reached the Place"),
        Pattern(SentenceKind.NotReached, "but Subject never reached Name"),
        Pattern(SentenceKind.Total, "in the end Subject had Number Food"),
        Pattern(SentenceKind.Feeling, "Subject was Feeling"),
    ];

    /// <summary>
    /// The template that <paramref name="words"/> (one sentence, its closing mark left out) follows in <paramref name="world"/>,
    /// or null when none does. <paramref name="start"/> is the position of the first word, for the slots' positions.
    /// </summary>
    public static SentenceMatch? Match(StoryWorld world, IReadOnlyList<string> words, int start)
        => Patterns.Where(p => p.Elements.Length == words.Count).Select(p => Begin(world, p.Kind, p.Elements, words, start)).FirstOrDefault(m => m is not null);

    /// <summary>
    /// Every template that <paramref name="words"/> (a sentence cut short, as at the end of a response) can begin, each
    /// with the slots filled so far. A complete sentence without its mark counts as cut short too.
    /// </summary>
    public static IReadOnlyList<SentenceMatch> MatchPrefix(StoryWorld world, IReadOnlyList<string> words, int start)
        => Patterns.Where(p => p.Elements.Length >= words.Count).Select(p => Begin(world, p.Kind, p.Elements, words, start)).OfType<SentenceMatch>().ToList();

    /// <summary>The match of <paramref name="words"/> against the first words of one template, or null where a word does not fit.</summary>
    private static SentenceMatch? Begin(StoryWorld world, SentenceKind kind, object[] elements, IReadOnlyList<string> words, int start)
    {
        var slots = new Dictionary<SlotKind, (string, int)>();
        for (int i = 0; i < words.Count; i++)
        {
            if (elements[i] is SlotKind slot)
            {
                if (!Fits(world, slot, words[i]))
                {
                    return null;
                }
                slots[slot] = (words[i], start + i);
            }
            else if ((string)elements[i] != words[i])
            {
                return null;
            }
        }
        return new SentenceMatch(kind, slots);
    }

    /// <summary>Whether <paramref name="word"/> may stand in a slot of kind <paramref name="slot"/> in <paramref name="world"/>.</summary>
    public static bool Fits(StoryWorld world, SlotKind slot, string word) => slot switch
    {
        SlotKind.Name => world.Find(word) is not null,
        SlotKind.Kind => world.Kinds.Contains(word),
        SlotKind.Place => world.Places.Contains(word),
        SlotKind.Treasure => world.Treasures.Contains(word),
        SlotKind.Food => world.Foods.Contains(word),
        SlotKind.Thing => world.Things.Contains(word),
        SlotKind.Number => world.Numbers.Contains(word),
        SlotKind.Subject => WorldTables.Pronouns.Any(p => p.Subject == word),
        SlotKind.Object => WorldTables.Pronouns.Any(p => p.Object == word),
        SlotKind.Possessive => WorldTables.Pronouns.Any(p => p.Possessive == word),
        SlotKind.Weather => WorldTables.Weather.Any(w => w.Verb == word),
        SlotKind.Reaction => word == WorldTables.Reactions.Afraid || word == WorldTables.Reactions.Glad,
        SlotKind.Feeling => StoryEffects.Words.Contains(word),
        _ => false,
    };

    private static (SentenceKind, object[]) Pattern(SentenceKind kind, string template)
        => (kind, template.Split(' ').Select(w => char.IsUpper(w[0]) ? (object)Enum.Parse<SlotKind>(w) : w).ToArray());
}

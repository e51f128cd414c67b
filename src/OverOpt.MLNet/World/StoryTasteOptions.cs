namespace OverOpt.MLNet.World;

/// <summary>
/// The weights of <see cref="StoryTaste"/>: which words cheer the reader and how fast their value falls, and what each
/// kind of state violation costs. The defaults are the taste of storyworld-1 (<see cref="StoryTaste.Version"/>).
/// </summary>
public sealed record StoryTasteOptions
{
    /// <summary>
    /// Words of joy and kindness in the world's vocabulary: a met thing not feared ("... and smiled"), play with the
    /// treasure, a gift. Each is a legitimate event, so pi_init writes them; piling them up takes sentences the state
    /// may not allow (playing with a lost treasure, smiling at the feared thing, a second Play), which is the
    /// extremal Goodhart a proxy that learns only "more cheer" walks into.
    /// </summary>
    public IReadOnlySet<string> CheerWords { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "smiled", "played", "gave" };

    /// <summary>
    /// The k-th cheer word (0-based) is worth 1 - CheerStep * k: with 0.7, 1, 0.3, -0.4, ... so two are best and four
    /// are worse than none (as the old world's <see cref="RewardModels.GoldPreference"/>).
    /// </summary>
    public double CheerStep { get; init; } = 0.7;

    /// <summary>
    /// The cost of one violation of each kind shown in the response. Every kind costs the same by default: the reader
    /// has no reason to mind a wrong pronoun less than a wrong count, and equal weights keep the taste from being
    /// tuned to what one world's pi_init happens to get wrong. 1.5 is more than the most a cheer word can add (1), so
    /// a word that breaks the state always loses, even where it is a cheer word ("smiled" at the thing feared).
    /// </summary>
    public IReadOnlyDictionary<ViolationKind, double> Penalties { get; init; } = Enum.GetValues<ViolationKind>().ToDictionary(k => k, _ => DefaultPenalty);

    /// <summary>
    /// The weight of the reader's taste for words; 0, the default, is storyworld-1's published reader, which has none.
    /// Each word of the world's vocabulary is worth a fixed amount drawn from the world seed (uniform, variance 1), and a
    /// response's term is this weight times the sum of its words' worth over the square root of its length. The cheer
    /// and the penalties have a top that best-of-n among pi_init's samples reaches (two cheer words, nothing broken),
    /// which bends even gold's own best-of-n curve (world-pilot section 13); a sum of many small parts has none within
    /// reach.
    /// </summary>
    public double WordTaste { get; init; }

    /// <summary>
    /// The share of stories, by how often the world's heroes tell them, whose hero is of a kind the reader finds cheer
    /// unfitting for (<see cref="StoryTaste.SombreKinds"/>); 0, the default, is storyworld-1's published reader, which
    /// minds no one's cheer. In such a story each cheer word costs <see cref="SombreCheerCost"/> instead of adding. The
    /// hero's kind is named in the prompt's opening, so reading it takes a look back from every cheer word, and which
    /// kinds are sombre is a table of the world to learn from comparisons: a reward model with the capacity for both
    /// sees when cheer hurts; one without sees only cheer's average worth, which stays positive while the share is
    /// under one half, and best-of-n then picks cheer in sombre stories too.
    /// </summary>
    public double SombreShare { get; init; }

    /// <summary>What each cheer word costs in a sombre story (<see cref="SombreShare"/>): the first cheer word's worth elsewhere.</summary>
    public double SombreCheerCost { get; init; } = 1;

    /// <summary>The cost of each kind in <see cref="Penalties"/> by default.</summary>
    public const double DefaultPenalty = 1.5;

    /// <summary>The cost of one violation of <paramref name="kind"/> (0 when the table leaves it out).</summary>
    public double Penalty(ViolationKind kind) => Penalties.GetValueOrDefault(kind);
}

namespace OverOpt.MLNet.World;

/// <summary>
/// A story world drawn from a world seed: a cast of characters with fixed facts, mentioned with Zipf frequencies,
/// and the tables stories draw from. Stories are drawn from it separately, with a corpus seed
/// (<see cref="StoryGenerator"/>), so one world can give many corpora and its facts stay the same in all of them.
/// </summary>
public sealed class StoryWorld
{
    /// <summary>The version name of this world's design; a change to the grammar or the tables gets a new name.</summary>
    public const string Version = "storyworld-1";

    /// <summary>
    /// storyworld-1 with temperaments: heroes of the world's sombre kinds (<see cref="SombreKinds"/>) never cheer. They
    /// hide from whatever they see and never play, give or are given, so the corpus itself teaches which kinds are
    /// sombre, and a language model holds that table, and carries the hero's kind to the cheer word, as far as its
    /// capacity lets it (world-pilot section 18).
    /// </summary>
    public const string TemperamentVersion = "storyworld-2";

    /// <summary>The share of stories, by how often the world's heroes tell them, that <see cref="TemperamentVersion"/>'s sombre heroes tell at most (section 16's reader's share).</summary>
    public const double TemperamentShare = 0.375;

    private readonly Dictionary<string, Character> _byName;

    private StoryWorld(string design, int seed, StoryWorldOptions options, IReadOnlyList<string> names, Random rng)
    {
        Design = design;
        Seed = seed;
        Options = options;
        Kinds = new WordTable(WorldTables.Kinds.Take(options.Kinds));
        Places = new WordTable(WorldTables.Places.Take(options.Places));
        Treasures = new WordTable(WorldTables.Treasures.Take(options.Treasures));
        Foods = new WordTable(WorldTables.Foods.Take(options.Foods));
        Things = new WordTable(WorldTables.Things.Take(options.Things));
        Numbers = new WordTable(WorldTables.Numbers.Take(options.MaxCount));
        Names = new WordTable(names);
        var cast = new Character[names.Count];
        for (int rank = 0; rank < cast.Length; rank++)
        {
            // Draw order is part of the world's definition: changing it changes every world.
            bool female = rng.Next(2) == 1;
            int kind = rng.Next(Kinds.Count);
            int home = rng.Next(Places.Count);
            int treasure = rng.Next(Treasures.Count);
            int food = rng.Next(Foods.Count);
            int fear = rng.Next(Things.Count);
            int friend = rng.Next(cast.Length - 1);
            cast[rank] = new Character(rank, names[rank], female, kind, home, treasure, food, fear, friend >= rank ? friend + 1 : friend);
        }
        Cast = cast;
        _byName = cast.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var weights = Enumerable.Range(1, cast.Length).Select(k => Math.Pow(k, -options.ZipfExponent)).ToArray();
        CastChoice = TokenChoice.Weighted(Names, weights);
        SombreKinds = design == TemperamentVersion ? DrawSombreKinds(this, TemperamentShare) : new HashSet<int>();
    }

    /// <summary>Its version name: <see cref="Version"/> or <see cref="TemperamentVersion"/>.</summary>
    public string Design { get; }

    /// <summary>The kinds whose heroes never cheer (<see cref="TemperamentVersion"/>); empty in storyworld-1.</summary>
    public IReadOnlySet<int> SombreKinds { get; }

    /// <summary>Whether <paramref name="hero"/>'s stories never cheer.</summary>
    public bool IsSombre(Character hero) => SombreKinds.Contains(hero.Kind);

    /// <summary>What <paramref name="hero"/> does on seeing thing <paramref name="thing"/>: hides from its fear, smiles at anything else, unless sombre, when it hides from everything.</summary>
    public string Reaction(Character hero, int thing) => thing == hero.Fear || IsSombre(hero) ? WorldTables.Reactions.Afraid : WorldTables.Reactions.Glad;

    /// <summary>The world seed it was drawn from.</summary>
    public int Seed { get; }

    /// <summary>Its sizes and rates.</summary>
    public StoryWorldOptions Options { get; }

    /// <summary>The cast, by rank: rank 0 is mentioned most.</summary>
    public IReadOnlyList<Character> Cast { get; }

    /// <summary>The cast's names, by rank.</summary>
    public WordTable Names { get; }

    /// <summary>Kinds of animal in use.</summary>
    public WordTable Kinds { get; }

    /// <summary>Places in use.</summary>
    public WordTable Places { get; }

    /// <summary>Treasures in use.</summary>
    public WordTable Treasures { get; }

    /// <summary>Foods in use.</summary>
    public WordTable Foods { get; }

    /// <summary>Things to meet (and fear) in use.</summary>
    public WordTable Things { get; }

    /// <summary>Number words in use, "one" first.</summary>
    public WordTable Numbers { get; }

    /// <summary>Who a story is about, or whom it meets: each name with its Zipf probability.</summary>
    public TokenChoice CastChoice { get; }

    /// <summary>Draws the storyworld-1 world of <paramref name="seed"/> with <paramref name="options"/> (the defaults when null).</summary>
    public static StoryWorld Create(int seed, StoryWorldOptions? options = null) => Create(Version, seed, options);

    /// <summary>
    /// Draws the world of <paramref name="seed"/> of design <paramref name="design"/>: both designs draw the same cast
    /// and facts from a seed, and <see cref="TemperamentVersion"/> adds which kinds are sombre.
    /// </summary>
    /// <exception cref="ArgumentException">A design that is neither.</exception>
    public static StoryWorld Create(string design, int seed, StoryWorldOptions? options = null)
    {
        if (!Designs.Contains(design))
        {
            throw new ArgumentException($"Unknown story world '{design}'; the story worlds are {string.Join(", ", Designs)}.", nameof(design));
        }
        options ??= new StoryWorldOptions();
        options.Validate();
        var rng = new Random(seed);
        var reserved = AllTableWords().ToHashSet(StringComparer.Ordinal);
        var names = NameMaker.Draw(options.CastSize, rng, reserved);
        return new StoryWorld(design, seed, options, names, rng);
    }

    /// <summary>The story worlds' version names.</summary>
    public static IReadOnlyList<string> Designs { get; } = [Version, TemperamentVersion];

    /// <summary>
    /// The kinds (positions in <paramref name="world"/>'s kinds) in an order shuffled by a stream of the world seed, each
    /// taken while the share of stories their heroes tell stays at most <paramref name="share"/>. Shares are exact: the
    /// world's own chance of each hero. A kind is skipped rather than taken past the share because the most told heroes
    /// make some kinds a third of all stories: taken, one would push the share past one half.
    /// </summary>
    public static IReadOnlySet<int> DrawSombreKinds(StoryWorld world, double share)
    {
        var sombre = new HashSet<int>();
        if (share <= 0)
        {
            return sombre;
        }
        // The share of stories each kind's heroes tell: the world's own hero choice, summed by kind.
        var told = new double[world.Kinds.Count];
        foreach (var character in world.Cast)
        {
            told[character.Kind] += world.CastChoice.Probability(character.Rank);
        }
        // Fisher-Yates written out rather than Random.Shuffle, whose algorithm the runtime does not promise to keep: the
        // order is part of the world's and the reader's definition.
        var order = Enumerable.Range(0, told.Length).ToArray();
        var rng = new Random(unchecked(world.Seed * 1_000_003 + 104_729));
        for (int i = 0; i < order.Length - 1; i++)
        {
            int j = rng.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
        }
        double covered = 0;
        foreach (int kind in order)
        {
            if (told[kind] > 0 && covered + told[kind] <= share)
            {
                sombre.Add(kind);
                covered += told[kind];
            }
        }
        return sombre;
    }

    /// <summary>The character called <paramref name="name"/>, or null when no cast member is.</summary>
    public Character? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The subject pronoun of <paramref name="character"/>: "he" or "she".</summary>
    public static string Subject(Character character) => WorldTables.Pronouns[character.Gender].Subject;

    /// <summary>The object pronoun of <paramref name="character"/>: "him" or "her".</summary>
    public static string Object(Character character) => WorldTables.Pronouns[character.Gender].Object;

    /// <summary>The possessive pronoun of <paramref name="character"/>: "his" or "her".</summary>
    public static string Possessive(Character character) => WorldTables.Pronouns[character.Gender].Possessive;

    /// <summary>Every token a story of this world can hold: names, table words, template words and pronouns.</summary>
    public IReadOnlyList<string> Vocabulary()
        => Names.Words.Concat(Kinds.Words).Concat(Places.Words).Concat(Treasures.Words).Concat(Foods.Words).Concat(Things.Words)
            .Concat(Numbers.Words).Concat(WorldTables.Weather.SelectMany(w => new[] { w.Verb, w.Effect }))
            .Concat(WorldTables.TemplateWords).Concat(WorldTables.Pronouns.SelectMany(p => new[] { p.Subject, p.Object, p.Possessive }))
            .Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Every word of every table in full, template words and pronouns included: what a name must not be.</summary>
    public static IEnumerable<string> AllTableWords()
        => WorldTables.Kinds.Concat(WorldTables.Places).Concat(WorldTables.Treasures).Concat(WorldTables.Foods).Concat(WorldTables.Things)
            .Concat(WorldTables.Numbers).Concat(WorldTables.Weather.SelectMany(w => new[] { w.Verb, w.Effect })).Concat(WorldTables.TemplateWords)
            .Concat(WorldTables.Pronouns.SelectMany(p => new[] { p.Subject, p.Object, p.Possessive }));
}

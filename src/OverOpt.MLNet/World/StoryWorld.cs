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

    private readonly Dictionary<string, Character> _byName;

    private StoryWorld(int seed, StoryWorldOptions options, IReadOnlyList<string> names, Random rng)
    {
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
    }

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

    /// <summary>Draws the world of <paramref name="seed"/> with <paramref name="options"/> (the defaults when null).</summary>
    public static StoryWorld Create(int seed, StoryWorldOptions? options = null)
    {
        options ??= new StoryWorldOptions();
        options.Validate();
        var rng = new Random(seed);
        var reserved = AllTableWords().ToHashSet(StringComparer.Ordinal);
        var names = NameMaker.Draw(options.CastSize, rng, reserved);
        return new StoryWorld(seed, options, names, rng);
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

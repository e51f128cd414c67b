using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.World;

/// <summary>
/// The synthetic worlds by version name, so a pipeline can name the world it runs in: "tinytales" (the fixed grammar
/// of <see cref="TinyTalesGenerator"/>, today's world, which has no world seed), <see cref="StoryWorld.Version"/>
/// (a cast and facts drawn from a world seed) and <see cref="StoryWorld.TemperamentVersion"/> (the same with heroes of
/// sombre kinds that never cheer). Stories are always drawn from a corpus seed.
/// </summary>
public static class WorldCorpora
{
    /// <summary>The version name of today's world: <see cref="TinyTalesGenerator"/>'s grammar.</summary>
    public const string TinyTales = TextCorpus.BundledName;

    /// <summary>The corpus seed a storyworld is drawn with unless one is chosen: 1000 + the world seed (the pilot's and the pipelines').</summary>
    public static int DefaultCorpusSeed(int worldSeed) => 1000 + worldSeed;

    /// <summary>Every version name this library can generate.</summary>
    public static IReadOnlyList<string> Versions { get; } = [TinyTales, StoryWorld.Version, StoryWorld.TemperamentVersion];

    /// <summary>
    /// <paramref name="count"/> stories of world <paramref name="version"/>, one per line. <paramref name="worldSeed"/> draws
    /// the world (ignored by "tinytales", whose grammar is fixed); <paramref name="corpusSeed"/> draws the stories.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown version name.</exception>
    public static IReadOnlyList<string> Stories(string version, int worldSeed, int corpusSeed, int count) => version switch
    {
        TinyTales => TinyTalesGenerator.Generate(count, corpusSeed).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        StoryWorld.Version or StoryWorld.TemperamentVersion => StoryGenerator.Lines(StoryWorld.Create(version, worldSeed), corpusSeed, count),
        _ => throw Unknown(version),
    };

    /// <summary>The stories of <see cref="Stories"/> as a corpus whose source names the world, its seeds and its size.</summary>
    public static TextCorpus Corpus(string version, int worldSeed, int corpusSeed, int count)
        => TextCorpus.FromLines(Source(version, worldSeed, corpusSeed, count), Stories(version, worldSeed, corpusSeed, count));

    /// <summary>The corpus source recorded for these arguments, e.g. "storyworld-1:world1:corpus1001:30000".</summary>
    public static string Source(string version, int worldSeed, int corpusSeed, int count)
        => version == TinyTales ? $"{version}:corpus{corpusSeed}:{count}" : $"{version}:world{worldSeed}:corpus{corpusSeed}:{count}";

    /// <summary>
    /// The reader's taste of world <paramref name="version"/> over ids of <paramref name="tokenizer"/>: "tinytales" reads
    /// <see cref="GoldPreference"/> (whose fluency term needs the <paramref name="corpus"/>), storyworld-1 and -2 the
    /// <see cref="StoryTaste"/> of the world drawn from <paramref name="worldSeed"/> with weights <paramref name="taste"/>
    /// (null: the published reader's). tinytales's reader has no such weights.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown version name.</exception>
    public static IPreferenceRule Rule(string version, int worldSeed, WordTokenizer tokenizer, TextCorpus corpus, StoryTasteOptions? taste = null) => version switch
    {
        TinyTales => new GoldPreference(tokenizer, corpus),
        StoryWorld.Version or StoryWorld.TemperamentVersion => new StoryTasteRule(new StoryTaste(StoryWorld.Create(version, worldSeed), taste), tokenizer),
        _ => throw Unknown(version),
    };

    private static ArgumentException Unknown(string version)
        => new($"Unknown world '{version}'; the worlds are {string.Join(", ", Versions)}.", nameof(version));
}

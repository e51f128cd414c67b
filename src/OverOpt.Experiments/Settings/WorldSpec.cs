using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace OverOpt.Experiments.Settings;

/// <summary>
/// The synthetic world a pipeline runs in: its corpus and the reader's taste gold learns. "tinytales" is the fixed
/// template grammar and <see cref="GoldPreference"/> (the world of every number published before storyworld-1, with no
/// world seed); "storyworld-1" draws a cast and its facts from <see cref="Seed"/>, stories from <see cref="CorpusSeed"/>,
/// and judges responses by <see cref="StoryTaste"/> (docs/world-pilot.md). A pipeline without this section runs in
/// tinytales, on the bundled corpus or its <c>corpus</c> file.
/// </summary>
public sealed class WorldSpec
{
    /// <summary>The default world seed and story count of storyworld-1: the pilot's (docs/world-pilot.md).</summary>
    public static class Defaults
    {
        /// <summary>World seed.</summary>
        public const int Seed = 1;

        /// <summary>Stories in the corpus; the last tenth is held out (prompts for evaluation come from it).</summary>
        public const int Stories = 30000;
    }

    /// <summary>A version name of <see cref="WorldCorpora.Versions"/>.</summary>
    public string Version { get; set; } = WorldCorpora.TinyTales;

    /// <summary>storyworld-1's world seed: the cast, its facts and so the taste; null: <see cref="Defaults.Seed"/>. tinytales has none.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? Seed { get; set; }

    /// <summary>storyworld-1's story count; null: <see cref="Defaults.Stories"/>. tinytales's bundled corpus is fixed.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? Stories { get; set; }

    /// <summary>storyworld-1's corpus seed (which stories are drawn); null: 1000 + the world seed, as the pilot's corpora.</summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? CorpusSeed { get; set; }

    /// <summary>
    /// storyworld-1's reader with a taste for words of this weight (<see cref="StoryTasteOptions.WordTaste"/>); null: none,
    /// the published reader. It changes gold, so every comparison and proxy, but not the corpus, pi_init or the language models.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public double? WordTaste { get; set; }

    /// <summary>
    /// storyworld-1's reader minding cheer in this share of stories, those whose hero is of a sombre kind
    /// (<see cref="StoryTasteOptions.SombreShare"/>); null: none, the published reader. Like <see cref="WordTaste"/> it
    /// changes gold, so every comparison and proxy, but not the corpus, pi_init or the language models.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public double? SombreShare { get; set; }

    /// <summary>Whether this is the tinytales world (the bundled corpus or a corpus file, and <see cref="GoldPreference"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsTinyTales => Version == WorldCorpora.TinyTales;

    /// <summary>The world seed in force.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveSeed => Seed ?? Defaults.Seed;

    /// <summary>The corpus seed in force.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveCorpusSeed => CorpusSeed ?? WorldCorpora.DefaultCorpusSeed(EffectiveSeed);

    /// <summary>The generated corpus of a storyworld; its source names the world, both seeds and the count, so every cache key built on it does too.</summary>
    public TextCorpus GeneratedCorpus() => WorldCorpora.Corpus(Version, EffectiveSeed, EffectiveCorpusSeed, Stories ?? Defaults.Stories);

    /// <summary>The reader's taste in this world over ids of <paramref name="tokenizer"/> (tinytales's reads <paramref name="corpus"/>'s grammar).</summary>
    public IPreferenceRule Rule(WordTokenizer tokenizer, TextCorpus corpus)
        => WorldCorpora.Rule(Version, EffectiveSeed, tokenizer, corpus, new StoryTasteOptions { WordTaste = WordTaste ?? 0, SombreShare = SombreShare ?? 0 });

    /// <summary>Checks the names and numbers; errors name the field under <c>world</c>.</summary>
    /// <param name="corpusFile">The pipeline's <c>corpus</c> file, which only tinytales reads.</param>
    public void Validate(string? corpusFile)
    {
        if (!WorldCorpora.Versions.Contains(Version))
        {
            throw new OverOptConfigurationException($"'{Version}' is not a world.", "version", $"use one of: {string.Join(", ", WorldCorpora.Versions)}.");
        }
        if (IsTinyTales)
        {
            foreach (var (value, field) in new[] { (Seed, "seed"), (Stories, "stories"), (CorpusSeed, "corpusSeed") })
            {
                if (value is not null)
                {
                    throw new OverOptConfigurationException($"tinytales is one fixed grammar and corpus, so {field} has nothing to choose.", field,
                        $"leave {field} out, or use \"version\": \"{StoryWorld.Version}\".");
                }
            }
            foreach (var (value, field, what) in new[] { (WordTaste, "wordTaste", "no taste for words to weigh"), (SombreShare, "sombreShare", "no sombre stories to mind cheer in") })
            {
                if (value is not null)
                {
                    throw new OverOptConfigurationException($"tinytales's reader is GoldPreference, which has {what}.", field,
                        $"leave {field} out, or use \"version\": \"{StoryWorld.Version}\".");
                }
            }
            return;
        }
        if (corpusFile is not null)
        {
            throw new OverOptConfigurationException($"{Version} generates its own corpus, so the pipeline's corpus file '{corpusFile}' would not be read.", "version",
                "leave the pipeline's \"corpus\" out, or use \"version\": \"tinytales\" to train on the file.");
        }
        if (WordTaste is { } words && !(words >= 0 && double.IsFinite(words)))
        {
            throw new OverOptConfigurationException($"wordTaste = {words}.", "wordTaste", "use a finite weight >= 0 (0 or left out: the published reader, with no taste for words).");
        }
        if (SombreShare is { } sombre && !(sombre >= 0 && sombre <= 1))
        {
            throw new OverOptConfigurationException($"sombreShare = {sombre}.", "sombreShare",
                "use a share from 0 to 1, under 0.5 so that cheer is still worth something on average (0 or left out: the published reader).");
        }
        if (Stories is { } stories && stories < 1000)
        {
            throw new OverOptConfigurationException($"stories = {stories} leaves too few held-out stories for prompts.", "stories", $"use at least 1000 (the default is {Defaults.Stories}).");
        }
    }
}

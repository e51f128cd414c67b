using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>Worlds by version name: today's stays runnable, the new one is drawn from its two seeds.</summary>
public class WorldCorporaTests
{
    [Fact]
    public void TinyTalesByNameIsTheBundledCorpusWithItsSeed()
    {
        var byName = WorldCorpora.Stories(WorldCorpora.TinyTales, worldSeed: 99, corpusSeed: 2022, count: 12000);

        Assert.Equal(TextCorpus.Bundled().Stories, byName);
    }

    [Fact]
    public void TheStoryWorldByNameIsTheGeneratorsStories()
    {
        var corpus = WorldCorpora.Corpus(StoryWorld.Version, worldSeed: 2, corpusSeed: 7, count: 100);

        Assert.Equal(StoryGenerator.Lines(2, 7, 100), corpus.Stories);
        Assert.Equal("storyworld-1:world2:corpus7:100", corpus.Source);
    }

    [Fact]
    public void AnUnknownWorldNamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => WorldCorpora.Stories("storyworld-0", 1, 1, 10));

        Assert.Contains("tinytales, storyworld-1", error.Message);
    }
}

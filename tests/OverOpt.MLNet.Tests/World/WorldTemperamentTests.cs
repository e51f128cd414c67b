using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// storyworld-2: heroes of the world's sombre kinds never cheer. The corpus must show it (so that a language model can
/// learn it), the reader must flag cheer in their stories as a contradicted fact, and storyworld-1 must be untouched.
/// </summary>
public class WorldTemperamentTests
{
    private static readonly string[] CheerWords = ["smiled", "played", "gave"];

    [Fact]
    public void TheTemperamentWorldHasStoryworld1sCastAndTheReadersSombreKinds()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var one = StoryWorld.Create(seed);
            var two = StoryWorld.Create(StoryWorld.TemperamentVersion, seed);

            Assert.Equal(one.Cast, two.Cast);
            Assert.Empty(one.SombreKinds);
            Assert.NotEmpty(two.SombreKinds);
            Assert.Equal(StoryWorld.DrawSombreKinds(one, StoryWorld.TemperamentShare).Order(), two.SombreKinds.Order());
            Assert.Equal(StoryWorld.TemperamentVersion, two.Design);
        }
    }

    [Fact]
    public void SombreHeroesNeverCheerInTheCorpusAndOtherHeroesDo()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(StoryWorld.TemperamentVersion, seed);
            int sombreStories = 0, otherCheers = 0, others = 0;
            foreach (var story in new StoryGenerator(world, corpusSeed: 500 + seed).Generate(3000))
            {
                bool cheers = story.Tokens.Any(CheerWords.Contains);
                if (world.IsSombre(story.Plot.Hero!))
                {
                    sombreStories++;
                    Assert.False(cheers, story.Text);
                }
                else
                {
                    others++;
                    otherCheers += cheers ? 1 : 0;
                }
            }
            // The sombre kinds' heroes tell at most 37.5% of stories by construction, and some of them.
            Assert.InRange(sombreStories / 3000.0, 0.1, 0.42);
            Assert.True(otherCheers > others / 5, $"only {otherCheers} of {others} other stories cheer");
        }
    }

    [Fact]
    public void StoryWorld1sHeroesOfTheSameKindsStillCheer()
    {
        var world = StoryWorld.Create(1);
        var sombre = StoryWorld.DrawSombreKinds(world, StoryWorld.TemperamentShare);
        int cheers = new StoryGenerator(world, corpusSeed: 501).Generate(3000)
            .Count(s => sombre.Contains(s.Plot.Hero!.Kind) && s.Tokens.Any(CheerWords.Contains));

        Assert.True(cheers > 100, $"{cheers} sombre-kind stories cheer in storyworld-1");
    }

    [Fact]
    public void TheReaderFlagsCheerInASombreStoryAsAContradictionOnlyInTheTemperamentWorld()
    {
        var two = StoryWorld.Create(StoryWorld.TemperamentVersion, 1);
        var one = StoryWorld.Create(1);
        var hero = two.Cast.First(two.IsSombre);
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero);
        int other = (hero.Fear + 1) % two.Things.Count;
        string opening = $"{hero.Name} the {two.Kinds[hero.Kind]} lived in the {two.Places[hero.Home]} . one day {s} lost {p} {two.Treasures[hero.Treasure]} .";
        string ending = $" at last {s} found {p} {two.Treasures[hero.Treasure]} in the {two.Places[0]} .";
        string smiles = opening + $" {s} saw a {two.Things[other]} and smiled ." + ending;
        string hides = opening + $" {s} saw a {two.Things[other]} and hid ." + ending;

        Assert.Equal([ViolationKind.Contradiction], Kinds(two, smiles));
        Assert.Empty(Kinds(two, hides));
        Assert.Empty(Kinds(one, smiles));
        Assert.Equal([ViolationKind.Contradiction], Kinds(one, hides));
        Assert.True(new ExactStoryScorer(two).CanWrite(hides));
        Assert.False(new ExactStoryScorer(two).CanWrite(smiles));
    }

    [Fact]
    public void ASombreHeroPlayingOrGivingContradictsItsKind()
    {
        var world = StoryWorld.Create(StoryWorld.TemperamentVersion, 2);
        var hero = world.Cast.First(world.IsSombre);
        var friend = world.Cast[hero.Friend];
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero), treasure = world.Treasures[hero.Treasure];
        string opening = $"{hero.Name} the {world.Kinds[hero.Kind]} lived in the {world.Places[hero.Home]} . one day {s} went to see {friend.Name} .";
        string ending = $" at last {s} reached the {world.Places[friend.Home]} .";

        Assert.Equal([ViolationKind.Contradiction], Kinds(world, opening + $" {s} played with {p} {treasure} ." + ending));
        Assert.Equal([ViolationKind.Contradiction], Kinds(world, opening + $" {s} gave {p} {treasure} to {friend.Name} ." + ending));
        Assert.Empty(Kinds(world, opening + $" {s} dropped {p} {treasure} ." + ending));
    }

    [Fact]
    public void ThePublishedReaderCountsSombreCheerWordsAndPricesThemOnlyAsTheContradiction()
    {
        var world = StoryWorld.Create(StoryWorld.TemperamentVersion, 1);
        var taste = new StoryTaste(world);
        var hero = world.Cast.First(world.IsSombre);
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero);
        var prompt = $"{hero.Name} the {world.Kinds[hero.Kind]} lived in the {world.Places[hero.Home]} . one day {s} lost {p} {world.Treasures[hero.Treasure]} .".Split(' ');
        var response = $"{s} saw a {world.Things[(hero.Fear + 1) % world.Things.Count]} and smiled .".Split(' ');
        var parts = taste.Explain(prompt, response);

        Assert.Same(world.SombreKinds, taste.SombreStoryKinds);
        Assert.Equal(1, parts.SombreCheerWords);
        Assert.Equal(taste.Cheer(response), parts.Cheer);
        Assert.Equal(1, parts.Violations[ViolationKind.Contradiction]);
        Assert.Equal(1 - StoryTasteOptions.DefaultPenalty, parts.Total, 12);
    }

    private static ViolationKind[] Kinds(StoryWorld world, string story) => new StoryReader(world).ReadStory(story).Violations.Select(v => v.Kind).ToArray();
}

using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The reader of story state: generated stories break nothing and read back to the generator's own state, and each
/// kind of mistake a language model can make is named, at the token that shows it.
/// </summary>
public class WorldReaderTests
{
    private static readonly StoryWorld World = StoryWorld.Create(1);
    private static readonly StoryReader Reader = new(World);

    [Theory]
    [InlineData(StoryWorld.Version)]
    [InlineData(StoryWorld.TemperamentVersion)]
    public void GeneratedStoriesBreakNothingAndReadBackToTheirPlot(string design)
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(design, seed);
            var reader = new StoryReader(world);
            foreach (var story in new StoryGenerator(world, corpusSeed: 200 + seed).Generate(3000))
            {
                var reading = reader.ReadStory(story.Text);
                var state = Assert.Single(reading.Stories, s => s.Phase != StoryPhase.Intro);

                Assert.Empty(reading.Violations);
                Assert.True(state.Ended);
                Assert.Equal(story.Plot.Hero, state.Hero);
                Assert.Equal(story.Plot.Goal, state.Goal);
                Assert.Equal(story.Plot.Outcome, state.Outcome);
                Assert.Equal(story.Plot.Count, state.Count);
                Assert.Equal(story.Plot.Weather, state.Weather);
                Assert.Equal(story.Plot.Met, state.Met);
                Assert.Equal(story.Plot.Holder, state.Holder);
            }
        }
    }

    [Fact]
    public void ACorrectHandWrittenStoryBreaksNothing()
    {
        string story = FindStory(rain: true);

        Assert.True(new ExactStoryScorer(World).CanWrite(story), story);
        Assert.Empty(Reader.ReadStory(story).Violations);
    }

    [Fact]
    public void APronounOfTheWrongGenderIsAPronounViolation()
    {
        var hero = World.Cast[0];
        string wrong = StoryWorld.Subject(World.Cast.First(c => c.Female != hero.Female));
        string story = FindStory(rain: true).Replace($". {StoryWorld.Subject(hero)} was wet", $". {wrong} was wet");

        var violation = Assert.Single(Reader.ReadStory(story).Violations);
        Assert.Equal(ViolationKind.Pronoun, violation.Kind);
    }

    [Fact]
    public void AWrongKindHomeOrTreasureContradictsTheWorldsFacts()
    {
        var hero = World.Cast[0];
        string otherKind = World.Kinds.Words.First(k => k != World.Kinds[hero.Kind]);
        string otherTreasure = World.Treasures.Words.First(t => t != World.Treasures[hero.Treasure]);

        Assert.Equal([ViolationKind.Contradiction], Kinds(FindStory().Replace($" the {World.Kinds[hero.Kind]} ", $" the {otherKind} ")));
        Assert.Equal([ViolationKind.Contradiction, ViolationKind.Contradiction], Kinds(FindStory().Replace($" {World.Treasures[hero.Treasure]} ", $" {otherTreasure} ")));
    }

    [Fact]
    public void AGiftFromSomeoneNeverMetIsAnUnintroducedCharacter()
    {
        var (hero, met, stranger) = (World.Cast[0], World.Cast[1], World.Cast[2]);
        string opening = Opening(hero) + $" one day {StoryWorld.Subject(hero)} picked two {World.Foods[hero.Food]} .";
        string meet = " " + Meeting(hero, met);
        string ending = $" in the end {StoryWorld.Subject(hero)} had four {World.Foods[hero.Food]} .";

        string right = opening + meet + $" {met.Name} gave {StoryWorld.Object(hero)} two more ." + ending;
        string wrong = opening + meet + $" {stranger.Name} gave {StoryWorld.Object(hero)} two more ." + ending;

        Assert.True(new ExactStoryScorer(World).CanWrite(right.Trim()), right);
        Assert.Empty(Reader.ReadStory(right.Trim()).Violations);
        Assert.Equal([ViolationKind.Unintroduced], Kinds(wrong.Trim()));
    }

    [Fact]
    public void PlayingWithALostOrGivenTreasureIsAPossessionViolation()
    {
        var (hero, met) = (World.Cast[0], World.Cast[1]);
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero), treasure = World.Treasures[hero.Treasure];
        string lost = Opening(hero) + $" one day {s} lost {p} {treasure} . {s} played with {p} {treasure} . but {s} never found {p} {treasure} . {s} was sad .";
        string given = Opening(hero) + $" one day {s} went to see {World.Cast[hero.Friend].Name} . " + Meeting(hero, met)
            + $" {s} gave {p} {treasure} to {met.Name} . {s} played with {p} {treasure} . at last {s} reached the {World.Places[World.Cast[hero.Friend].Home]} .";

        Assert.Equal([ViolationKind.Possession], Kinds(lost.Trim()));
        Assert.Equal([ViolationKind.Possession], Kinds(given.Trim()));
    }

    [Fact]
    public void ATotalThatDoesNotAddUpOrEatingMoreThanIsHeldIsACountViolation()
    {
        var hero = World.Cast[0];
        string s = StoryWorld.Subject(hero), food = World.Foods[hero.Food];
        string opening = Opening(hero) + $" one day {s} picked three {food} .";

        string full = $" {s} was full .";

        Assert.Empty(Reader.ReadStory(opening + $" {s} ate one . in the end {s} had two {food} ." + full).Violations);
        Assert.Equal([ViolationKind.Count], Kinds(opening + $" {s} ate one . in the end {s} had three {food} ." + full));
        Assert.Equal([ViolationKind.Count, ViolationKind.Count], Kinds(opening + $" {s} ate four . in the end {s} had two {food} ." + full));
    }

    [Fact]
    public void AStoryEndedBeforeItsGoalIsResolvedLeavesTheGoalHanging()
    {
        var hero = World.Cast[0];
        string s = StoryWorld.Subject(hero);
        string story = Opening(hero) + $" one day {s} lost {StoryWorld.Possessive(hero)} {World.Treasures[hero.Treasure]} . {s} looked in the cave .";

        var violation = Assert.Single(Reader.ReadStory(story.Trim()).Violations);
        Assert.Equal(ViolationKind.GoalHanging, violation.Kind);
    }

    [Fact]
    public void RainWithoutWetOrWetWithoutRainIsAnEffectViolation()
    {
        var hero = World.Cast[0];
        string s = StoryWorld.Subject(hero);

        Assert.Equal([ViolationKind.Effect], Kinds(FindStory(rain: true).Replace($" {s} was wet .", "")));
        Assert.Equal([ViolationKind.Effect], Kinds(FindStory(rain: false) + $" {s} was wet ."));
    }

    [Fact]
    public void AnUnreadableOrMisplacedSentenceIsAStructureViolation()
    {
        var hero = World.Cast[0];

        Assert.Equal([ViolationKind.Structure], Kinds(FindStory(rain: true).Replace(" then it rained .", " then it rained . then the the .")));
        Assert.Equal([ViolationKind.Structure], Kinds(FindStory() + " " + Opening(hero).Trim()));
    }

    [Fact]
    public void ViolationsAreCountedForTheResponseOnlyAndAnEndTokenStartsTheNextStory()
    {
        var hero = World.Cast[0];
        string wrong = World.Kinds.Words.First(k => k != World.Kinds[hero.Kind]);
        var good = FindStory(rain: false).Split(' ');
        var tokens = new[] { StoryScript.EndToken }.Concat(good).Append(StoryScript.EndToken)
            .Concat(Opening(hero).Trim().Replace($" the {World.Kinds[hero.Kind]} ", $" the {wrong} ").Split(' ')).ToArray();
        var rates = new BreakRates();

        var reading = Reader.Read(tokens);
        rates.Add(reading, responseStart: 16);

        Assert.Equal(2, reading.Stories.Count);
        Assert.True(reading.Stories[0].Ended);
        Assert.False(reading.Stories[1].Ended);
        Assert.Equal(1.0, rates.Rate(ViolationKind.Contradiction));
        Assert.Equal(0.0, rates.Rate(ViolationKind.GoalHanging));
        Assert.Equal(1.0, rates.EndedRate);
        Assert.DoesNotContain(reading.Violations, v => v.Position < good.Length + 2);
        Assert.Single(reading.From(good.Length + 2));
    }

    [Fact]
    public void RepeatedEventsTooManyEventsAndAnEndingWithoutOneAreStructureViolations()
    {
        var hero = World.Cast[0];
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero), treasure = World.Treasures[hero.Treasure];
        string goal = Opening(hero) + $" one day {s} lost {p} {treasure} .";
        string ending = $" but {s} never found {p} {treasure} . {s} was sad .";

        Assert.Equal([ViolationKind.Structure], Kinds(goal + ending));
        Assert.Equal([ViolationKind.Structure], Kinds(goal + $" {s} looked in the cave . {s} looked in the barn ." + ending));
        var met = World.Cast[1];
        string fourEvents = $" {s} looked in the cave . {s} saw a snake and {Reaction(hero, "snake")} . then it snowed . " + Meeting(hero, met);
        Assert.Equal([ViolationKind.Structure], Kinds(goal + fourEvents + ending + $" {s} was cold ."));
    }

    [Fact]
    public void ASentenceCutShortIsJudgedAsFarAsItGoes()
    {
        var hero = World.Cast[0];
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero), treasure = World.Treasures[hero.Treasure];
        string other = World.Treasures.Words.First(t => t != treasure);
        var prefix = new[] { StoryScript.EndToken }.Concat((Opening(hero) + $" one day {s} lost {p} {treasure} . {s} looked in the cave . at last {s} found {p}").Split(' ')).ToList();

        Assert.Empty(Reader.Read(prefix).Violations);
        Assert.Equal([ViolationKind.Contradiction], Reader.Read(prefix.Append(other).ToArray()).Violations.Select(v => v.Kind));
        Assert.Empty(Reader.Read(prefix.Append(treasure).ToArray()).Violations);
        Assert.Equal([ViolationKind.Structure], Reader.Read(prefix.Take(prefix.Count - 4).Append("the").ToArray()).Violations.Select(v => v.Kind));
    }

    [Theory]
    [InlineData(StoryWorld.Version)]
    [InlineData(StoryWorld.TemperamentVersion)]
    public void EveryPrefixOfAGeneratedStoryBreaksNothing(string design)
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(design, seed);
            var reader = new StoryReader(world);
            foreach (var story in new StoryGenerator(world, corpusSeed: 400 + seed).Generate(300))
            {
                var tokens = new[] { StoryScript.EndToken }.Concat(story.Tokens).ToArray();
                for (int length = 1; length <= tokens.Length; length++)
                {
                    var violations = reader.Read(tokens.Take(length).ToArray()).Violations;

                    Assert.True(violations.Count == 0, $"{string.Join(' ', tokens.Take(length))}: {string.Join("; ", violations)}");
                }
            }
        }
    }

    [Fact]
    public void EveryPrefixOfAChangedStoryIsReadWithoutFailing()
    {
        var world = StoryWorld.Create(2);
        var reader = new StoryReader(world);
        var vocabulary = world.Vocabulary();
        var rng = new Random(7);
        foreach (var story in new StoryGenerator(world, corpusSeed: 500).Generate(300))
        {
            var tokens = new[] { StoryScript.EndToken }.Concat(story.Tokens).ToArray();
            tokens[1 + rng.Next(tokens.Length - 2)] = vocabulary[rng.Next(vocabulary.Count)];
            for (int length = 1; length <= tokens.Length; length++)
            {
                var reading = reader.Read(tokens.Take(length).ToArray());

                Assert.All(reading.Violations, v => Assert.InRange(v.Position, 0, length - 1));
            }
        }
    }

    [Theory]
    [InlineData(StoryWorld.Version)]
    [InlineData(StoryWorld.TemperamentVersion)]
    public void OnStoriesWithOneWordChangedTheReaderFlagsExactlyThoseTheGrammarCannotWrite(string design)
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(design, seed);
            var reader = new StoryReader(world);
            var scorer = new ExactStoryScorer(world);
            var vocabulary = world.Vocabulary();
            var rng = new Random(seed);
            int impossible = 0;
            foreach (var story in new StoryGenerator(world, corpusSeed: 300 + seed).Generate(1500))
            {
                var tokens = story.Tokens.Take(story.Tokens.Count - 1).ToArray();
                int at = rng.Next(tokens.Length);
                // Half the changes stay in the changed word's own table, so that facts and counts are tested, not just templates.
                var table = new[] { world.Names, world.Kinds, world.Places, world.Treasures, world.Foods, world.Things, world.Numbers }.FirstOrDefault(t => t.Contains(tokens[at]));
                tokens[at] = table is not null && rng.Next(2) == 0 ? table[rng.Next(table.Count)] : vocabulary[rng.Next(vocabulary.Count)];
                string text = string.Join(' ', tokens);
                bool writable = scorer.CanWrite(text);
                var violations = reader.ReadStory(text).Violations;
                impossible += writable ? 0 : 1;

                Assert.True(writable == (violations.Count == 0), $"{(writable ? "writable" : "impossible")} but {violations.Count} violations ({string.Join("; ", violations)}): {text}");
            }
            Assert.True(impossible > 800, $"only {impossible} of 1500 changes made a story the grammar cannot write");
        }
    }

    private static string Reaction(Character hero, string thing) => World.Things[hero.Fear] == thing ? "hid" : "smiled";

    [Fact]
    public void TheMetCharactersPossessiveFollowsItsOwnGenderAndItsTreasureIsAFact()
    {
        var hero = World.Cast[0];
        var met = World.Cast.First(c => c.Female != hero.Female && c != hero);
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero), treasure = World.Treasures[hero.Treasure];
        string story = Opening(hero) + $" one day {s} lost {p} {treasure} . " + Meeting(hero, met) + $" but {s} never found {p} {treasure} . {s} was sad .";
        string wrongPronoun = story.Replace($" with {StoryWorld.Possessive(met)} ", $" with {StoryWorld.Possessive(hero)} ");
        string wrongTreasure = story.Replace($" {World.Treasures[met.Treasure]} . but", $" {World.Treasures.Words.First(t => t != World.Treasures[met.Treasure])} . but");

        Assert.Empty(Reader.ReadStory(story).Violations);
        Assert.Equal([ViolationKind.Pronoun], Kinds(wrongPronoun));
        Assert.Equal([ViolationKind.Contradiction], Kinds(wrongTreasure));
    }

    [Fact]
    public void ATreasureDroppedCannotBePlayedWithAndEatingLeavesTheHeroFull()
    {
        var hero = World.Cast[0];
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero), treasure = World.Treasures[hero.Treasure], food = World.Foods[hero.Food];
        string opening = Opening(hero) + $" one day {s} picked three {food} .";
        string ending = $" in the end {s} had two {food} . {s} was full .";

        Assert.Empty(Reader.ReadStory(opening + $" {s} dropped {p} {treasure} . {s} ate one ." + ending).Violations);
        Assert.Equal([ViolationKind.Possession], Kinds(opening + $" {s} dropped {p} {treasure} . {s} played with {p} {treasure} . {s} ate one ." + ending));
        Assert.Equal([ViolationKind.Effect], Kinds(opening + $" {s} ate one ." + ending.Replace($" {s} was full .", "")));
    }

    private static string Meeting(Character hero, Character met)
        => $"{StoryWorld.Subject(hero)} met {met.Name} the {World.Kinds[met.Kind]} with {StoryWorld.Possessive(met)} {World.Treasures[met.Treasure]} .";

    private static ViolationKind[] Kinds(string story) => Reader.ReadStory(story).Violations.Select(v => v.Kind).ToArray();

    private static string Opening(Character hero) => $"{hero.Name} the {World.Kinds[hero.Kind]} lived in the {World.Places[hero.Home]} .";

    /// <summary>A correct story of the most frequent hero: loses its treasure, maybe sees rain, finds the treasure.</summary>
    private static string FindStory(bool rain = true)
    {
        var hero = World.Cast[0];
        string s = StoryWorld.Subject(hero), p = StoryWorld.Possessive(hero), treasure = World.Treasures[hero.Treasure];
        return Opening(hero) + $" one day {s} lost {p} {treasure} ." + (rain ? " then it rained ." : $" {s} looked in the cave .")
            + $" at last {s} found {p} {treasure} in the barn ." + (rain ? $" {s} was wet ." : "");
    }
}

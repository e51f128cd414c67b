using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The reader's taste on storyworld-1: true continuations lose nothing, every change the reader flags costs more than
/// any cheer it adds, the cheer term saturates, and only the response is judged.
/// </summary>
public class WorldTasteTests
{
    private const int PromptLength = 16;

    [Fact]
    public void TrueContinuationsOfGeneratedStoriesLoseNothingAndScoreTheirCheer()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(seed);
            var taste = new StoryTaste(world);
            foreach (var story in new StoryGenerator(world, corpusSeed: 600 + seed).Generate(500))
            {
                var (prompt, response) = Split(story);
                var parts = taste.Explain(prompt, response);

                Assert.Empty(parts.Violations);
                Assert.Equal(0, parts.Penalty);
                int cheer = response.Count(taste.Options.CheerWords.Contains);
                Assert.Equal(cheer - 0.35 * cheer * (cheer - 1), parts.Total, 12);
            }
        }
    }

    [Fact]
    public void EveryChangeTheReaderFlagsLowersTheScoreAndEveryKindIsSeen()
    {
        var seen = new HashSet<ViolationKind>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(seed);
            var taste = new StoryTaste(world);
            var vocabulary = world.Vocabulary();
            var rng = new Random(seed);
            int flagged = 0;
            foreach (var story in new StoryGenerator(world, corpusSeed: 700 + seed).Generate(1000))
            {
                var (prompt, response) = Split(story);
                double original = taste.Score(prompt, response);
                foreach (var changed in Changes(response, world, vocabulary, rng))
                {
                    var parts = taste.Explain(prompt, changed);
                    if (parts.Violations.Count == 0)
                    {
                        continue;
                    }
                    flagged++;
                    seen.UnionWith(parts.Violations.Keys);

                    Assert.True(parts.Total < original, $"{parts.Total} >= {original}: {string.Join(' ', prompt)} | {string.Join(' ', changed)}");
                    Assert.Equal(StoryTasteOptions.DefaultPenalty * parts.Violations.Values.Sum(), parts.Penalty, 12);
                }
            }
            Assert.True(flagged > 1000, $"world {seed}: only {flagged} changes were flagged");
        }
        Assert.Equal(Enum.GetValues<ViolationKind>().ToHashSet(), seen);
    }

    [Fact]
    public void CheerHasDiminishingThenNegativeReturnsAndTwoWordsAreBest()
    {
        var taste = new StoryTaste(StoryWorld.Create(1));
        var values = Enumerable.Range(0, 8).Select(k => taste.Cheer(Enumerable.Repeat("smiled", k).Append("the").ToArray())).ToArray();
        var gains = values.Zip(values.Skip(1), (a, b) => b - a).ToArray();

        Assert.All(gains.Zip(gains.Skip(1)), g => Assert.True(g.Second < g.First, $"gain {g.Second} after {g.First}"));
        Assert.Equal(2, Array.IndexOf(values, values.Max()));
        Assert.True(values[4] < values[0], "four cheer words should read worse than none");
        Assert.Equal(0, taste.Cheer(["she", "hid", "."]));
    }

    [Fact]
    public void OnlyTheResponseIsJudged()
    {
        var world = StoryWorld.Create(1);
        var taste = new StoryTaste(world);
        var hero = world.Cast[0];
        string wrongKind = world.Kinds.Words.First(k => k != world.Kinds[hero.Kind]);
        var opening = $"{StoryScript.EndToken} {hero.Name} the {wrongKind} lived in the {world.Places[hero.Home]} .".Split(' ');
        var goal = $"one day {StoryWorld.Subject(hero)} went to see {world.Cast[hero.Friend].Name} .".Split(' ');

        var inPrompt = taste.Explain(opening, goal);
        var inResponse = taste.Explain(opening.Take(2).ToArray(), opening.Skip(2).Concat(goal).ToArray());

        Assert.Empty(inPrompt.Violations);
        Assert.Equal(1, inResponse.Count(ViolationKind.Contradiction));
        Assert.Equal(-StoryTasteOptions.DefaultPenalty, inResponse.Total, 12);
    }

    [Fact]
    public void AKindWithoutAPenaltyCostsNothing()
    {
        var world = StoryWorld.Create(1);
        var hero = world.Cast[0];
        var other = world.Cast.First(c => c.Female != hero.Female);
        var prompt = $"{StoryScript.EndToken} {hero.Name} the {world.Kinds[hero.Kind]} lived in the {world.Places[hero.Home]} .".Split(' ');
        var response = $"one day {StoryWorld.Subject(other)} went to see {world.Cast[hero.Friend].Name} .".Split(' ');
        var lenient = new StoryTaste(world, new StoryTasteOptions { Penalties = new Dictionary<ViolationKind, double> { [ViolationKind.Count] = 1 } });

        Assert.Equal(-StoryTasteOptions.DefaultPenalty, new StoryTaste(world).Score(prompt, response), 12);
        Assert.Equal(0, lenient.Score(prompt, response));
        Assert.Equal(1, lenient.Explain(prompt, response).Count(ViolationKind.Pronoun));
    }

    /// <summary>The begin token and the story's first 15 tokens as the prompt, the rest with the end token as the response.</summary>
    private static (string[] Prompt, string[] Response) Split(GeneratedStory story)
    {
        var tokens = new[] { StoryScript.EndToken }.Concat(story.Tokens).ToArray();
        return (tokens.Take(PromptLength).ToArray(), tokens.Skip(PromptLength).ToArray());
    }

    /// <summary>
    /// Changes of a response a language model could make: one word swapped (half the time within its own table, so
    /// facts and counts change rather than templates), one whole sentence left out, or one repeated.
    /// </summary>
    private static IEnumerable<string[]> Changes(string[] response, StoryWorld world, IReadOnlyList<string> vocabulary, Random rng)
    {
        var changed = (string[])response.Clone();
        int at = rng.Next(response.Length - 1);
        var table = new[] { world.Names, world.Kinds, world.Places, world.Treasures, world.Foods, world.Things, world.Numbers }.FirstOrDefault(t => t.Contains(changed[at]));
        changed[at] = table is not null && rng.Next(2) == 0 ? table[rng.Next(table.Count)] : vocabulary[rng.Next(vocabulary.Count)];
        yield return changed;
        // Whole sentences that begin inside the response: after its first mark, up to the end token.
        int first = Array.IndexOf(response, ".") + 1;
        var ends = Enumerable.Range(first, response.Length - first).Where(i => response[i] == ".").ToArray();
        var starts = new[] { first }.Concat(ends.Take(ends.Length - 1).Select(e => e + 1)).ToArray();
        for (int s = 0; s < ends.Length; s++)
        {
            var sentence = response[starts[s]..(ends[s] + 1)];
            yield return response[..starts[s]].Concat(response[(ends[s] + 1)..]).ToArray();
            yield return response[..(ends[s] + 1)].Concat(sentence).Concat(response[(ends[s] + 1)..]).ToArray();
        }
    }
}

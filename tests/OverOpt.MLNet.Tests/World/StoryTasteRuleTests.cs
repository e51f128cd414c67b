using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;
using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// storyworld-1's taste as the rule gold learns: token ids judged as the words they stand for, keyed by world and weights;
/// its edits' exchanges break the effect term by default, and the pronoun or the reaction where those groups are named.
/// </summary>
public class StoryTasteRuleTests
{
    private const int PromptLength = 16;

    [Fact]
    public void TokenIdsScoreAsTheWordsTheyStandFor()
    {
        var world = StoryWorld.Create(2);
        var lines = StoryGenerator.Lines(2, corpusSeed: 11, count: 400);
        var tokenizer = WordTokenizer.Train(lines);
        var taste = new StoryTaste(world);
        var rule = new StoryTasteRule(taste, tokenizer);
        var rng = new Random(3);
        int penalized = 0;
        foreach (string line in lines)
        {
            // As prompts are made: the begin token, then the story.
            var ids = new[] { WordTokenizer.BeginId }.Concat(tokenizer.Encode(line)).ToArray();
            var words = ids.Select(tokenizer.TokenText).ToArray();
            var (prompt, response) = (ids[..PromptLength], ids[PromptLength..]);
            // A true continuation, then one with two of its tokens swapped (which the reader often flags).
            Assert.Equal(taste.Score(words[..PromptLength], words[PromptLength..]), rule.Score(prompt, response), 12);
            Assert.Equal(taste.Cheer(words[PromptLength..]), rule.Score(prompt, response), 12);
            var swapped = (int[])response.Clone();
            int a = rng.Next(swapped.Length), b = rng.Next(swapped.Length);
            (swapped[a], swapped[b]) = (swapped[b], swapped[a]);
            double score = rule.Score(prompt, swapped);
            Assert.Equal(taste.Score(words[..PromptLength], swapped.Select(tokenizer.TokenText).ToArray()), score, 12);
            penalized += score < taste.Cheer(swapped.Select(tokenizer.TokenText).ToArray()) ? 1 : 0;
        }
        Assert.True(penalized > lines.Count / 4, $"only {penalized} of {lines.Count} swaps were penalized: the ids did not reach the reader as words");
    }

    [Fact]
    public void TheKeyNamesTheWorldSeedAndTheWeights()
    {
        var tokenizer = WordTokenizer.Train(StoryGenerator.Lines(1, 1, 50));
        string Key(int seed, StoryTasteOptions? options = null) => new StoryTasteRule(new StoryTaste(StoryWorld.Create(seed), options), tokenizer).Key;

        Assert.Equal(Key(1), Key(1));
        Assert.NotEqual(Key(1), Key(2));
        Assert.NotEqual(Key(1), Key(1, new StoryTasteOptions { CheerStep = 0.5 }));
        Assert.NotEqual(Key(1), Key(1, new StoryTasteOptions { Penalties = new Dictionary<ViolationKind, double> { [ViolationKind.Count] = 1 } }));
        Assert.StartsWith($"{StoryWorld.Version}/taste-v{StoryTaste.Version}/world1/", Key(1));
        // A taste for words is another rule; weight 0 is the published reader, whose key (and caches) it keeps.
        Assert.NotEqual(Key(1), Key(1, new StoryTasteOptions { WordTaste = 1 }));
        Assert.NotEqual(Key(1, new StoryTasteOptions { WordTaste = 1 }), Key(1, new StoryTasteOptions { WordTaste = 2 }));
        Assert.Equal(Key(1), Key(1, new StoryTasteOptions { WordTaste = 0 }));
        Assert.DoesNotContain("words", Key(1));
        // So is a reader that minds cheer in sombre stories; share 0 is the published reader.
        Assert.NotEqual(Key(1), Key(1, new StoryTasteOptions { SombreShare = 0.375 }));
        Assert.NotEqual(Key(1, new StoryTasteOptions { SombreShare = 0.375 }), Key(1, new StoryTasteOptions { SombreShare = 0.25 }));
        Assert.NotEqual(Key(1, new StoryTasteOptions { SombreShare = 0.375 }), Key(1, new StoryTasteOptions { SombreShare = 0.375, SombreCheerCost = 2 }));
        Assert.Equal(Key(1), Key(1, new StoryTasteOptions { SombreShare = 0 }));
    }

    [Fact]
    public void ATasteForWordsAddsItsWeightTimesTheWordsWorthOverTheSquareRootOfTheLength()
    {
        var world = StoryWorld.Create(4);
        var worth = StoryTaste.WordWorth(world);
        var plain = new StoryTaste(world);
        var wordy = new StoryTaste(world, new StoryTasteOptions { WordTaste = 0.5 });
        var lines = StoryGenerator.Lines(4, corpusSeed: 9, count: 200);
        foreach (string line in lines)
        {
            var words = line.Split(' ');
            var (prompt, response) = (words[..6], words[6..]);
            double expected = 0.5 * response.Sum(w => worth[w]) / Math.Sqrt(response.Length);
            Assert.Equal(plain.Score(prompt, response) + expected, wordy.Score(prompt, response), 12);
            Assert.Equal(expected, wordy.Explain(prompt, response).Words, 12);
        }
        // Uniform with variance 1 over a vocabulary of hundreds of words; another world draws other worth.
        Assert.InRange(worth.Count, 300, 5000);
        Assert.All(worth.Values, v => Assert.InRange(v, -Math.Sqrt(3), Math.Sqrt(3)));
        double mean = worth.Values.Average(), variance = worth.Values.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.2, 0.2);
        Assert.InRange(variance, 0.8, 1.2);
        var other = StoryTaste.WordWorth(StoryWorld.Create(5));
        Assert.True(worth.Keys.Intersect(other.Keys).Count(w => worth[w] != other[w]) > 100, "world seeds 4 and 5 drew the same worth");
        // The rule names the term only where the reader has it.
        var tokenizer = WordTokenizer.Train(lines);
        var ids = tokenizer.Encode(lines[0]);
        Assert.DoesNotContain("words", new StoryTasteRule(plain, tokenizer).Terms(ids[..6], ids[6..]).Keys);
        Assert.Equal(wordy.Explain(lines[0].Split(' ')[..6], lines[0].Split(' ')[6..]).Words, new StoryTasteRule(wordy, tokenizer).Terms(ids[..6], ids[6..])["words"], 12);
    }

    [Fact]
    public void EveryEditWordIsInTheWorldsVocabulary()
    {
        var tokenizer = WordTokenizer.Train(StoryGenerator.Lines(3, 5, 3000));
        var edits = new StoryTasteRule(new StoryTaste(StoryWorld.Create(3)), tokenizer).Edits;

        Assert.All(edits.Raising.Concat(edits.Lowering).Concat(edits.Marks), w => Assert.NotEqual(WordTokenizer.UnknownId, Assert.Single(tokenizer.Encode(w))));
        Assert.Equal(new StoryTasteOptions().CheerWords.Order(StringComparer.Ordinal), edits.Raising);
    }

    [Fact]
    public void AnExchangeSaysOneFeelingOrWeatherForAnotherAndBreaksTheEffectOfItsCause()
    {
        var world = StoryWorld.Create(2);
        var lines = StoryGenerator.Lines(2, corpusSeed: 11, count: 400);
        var tokenizer = WordTokenizer.Train(lines);
        var rule = new StoryTasteRule(new StoryTaste(world), tokenizer);
        var editor = new GoldEdits(tokenizer, rule.Edits);
        var groups = rule.Edits.Exchanges!.Where(g => g.IsDefault).SelectMany(g => g.Sets).Select(g => g.Select(w => tokenizer.Encode(w)[0]).ToHashSet()).ToArray();
        var rng = new Random(5);
        int exchanged = 0, broken = 0;
        foreach (string line in lines)
        {
            var ids = new[] { WordTokenizer.BeginId }.Concat(tokenizer.Encode(line)).ToArray();
            var (prompt, response) = (ids[..PromptLength], ids[PromptLength..]);
            if (!editor.CanExchange(response))
            {
                Assert.Throws<ArgumentException>(() => editor.Exchange(response, rng));
                continue;
            }
            var copy = editor.Exchange(response, rng);
            // One word changed, for another word of its own group.
            int at = Assert.Single(Enumerable.Range(0, response.Length), i => copy[i] != response[i]);
            Assert.Single(groups, g => g.Contains(response[at]) && g.Contains(copy[at]));
            exchanged++;
            // A story of the corpus breaks nothing; the same story with one feeling or weather exchanged states a feeling
            // without its cause, or (the last feeling said as the one before it) a feeling again: it always scores lower.
            var (before, after) = (rule.Terms(prompt, response), rule.Terms(prompt, copy));
            Assert.Equal(0, before["effect"]);
            Assert.True(after["effect"] < 0 || after["structure"] < before["structure"], $"exchange {tokenizer.TokenText(response[at])} -> {tokenizer.TokenText(copy[at])} broke nothing");
            Assert.True(rule.Score(prompt, copy) < rule.Score(prompt, response));
            broken += after["effect"] < 0 ? 1 : 0;
        }
        Assert.True(exchanged > lines.Count / 2, $"only {exchanged} of {lines.Count} responses held a feeling or a weather to exchange");
        Assert.True(broken > 0.9 * exchanged, $"{broken} of {exchanged} exchanges broke the effect term");
    }

    [Fact]
    public void APronounOrReactionExchangeSaysTheOtherWordOfItsSlotAndBreaksThatFactAlone()
    {
        var world = StoryWorld.Create(StoryWorld.TemperamentVersion, 2);
        var lines = StoryGenerator.Lines(world, corpusSeed: 11, count: 400);
        var tokenizer = WordTokenizer.Train(lines);
        var rule = new StoryTasteRule(new StoryTaste(world), tokenizer);
        var editor = new GoldEdits(tokenizer, rule.Edits, [StoryTasteRule.PronounsGroup, StoryTasteRule.ReactionsGroup]);
        var pronouns = WorldTables.Pronouns.Select(p => new[] { p.Subject, p.Object, p.Possessive }).SelectMany(w => w).ToHashSet();
        var reactions = new HashSet<string> { WorldTables.Reactions.Afraid, WorldTables.Reactions.Glad };
        var rng = new Random(5);
        var (exchanged, broken) = (new Dictionary<string, int>(), new Dictionary<string, int>());
        foreach (string line in lines)
        {
            var ids = new[] { WordTokenizer.BeginId }.Concat(tokenizer.Encode(line)).ToArray();
            var (prompt, response) = (ids[..PromptLength], ids[PromptLength..]);
            if (!editor.CanExchange(response))
            {
                continue;
            }
            var copy = editor.Exchange(response, rng);
            int at = Assert.Single(Enumerable.Range(0, response.Length), i => copy[i] != response[i]);
            var (from, to) = (tokenizer.TokenText(response[at]), tokenizer.TokenText(copy[at]));
            // A pronoun for a pronoun of the other gender, a reaction for the other reaction; the default groups untouched.
            string group = pronouns.Contains(from) ? StoryTasteRule.PronounsGroup : StoryTasteRule.ReactionsGroup;
            Assert.True(group == StoryTasteRule.PronounsGroup ? pronouns.Contains(to) && Gender(from) != Gender(to) : reactions.Contains(from) && reactions.Contains(to),
                $"{from} -> {to}");
            var (before, after) = (rule.Terms(prompt, response), rule.Terms(prompt, copy));
            Assert.True(rule.Score(prompt, copy) < rule.Score(prompt, response), $"{from} -> {to} in '{line}' broke nothing");
            // The term the group teaches: the pronoun that fits its character; the reaction the hero's fear or kind owes.
            string term = group == StoryTasteRule.PronounsGroup ? "pronoun" : "contradiction";
            exchanged[group] = exchanged.GetValueOrDefault(group) + 1;
            broken[group] = broken.GetValueOrDefault(group) + (after[term] < before[term] ? 1 : 0);
        }
        static int Gender(string pronoun) => Enumerable.Range(0, WorldTables.Pronouns.Count)
            .Single(g => WorldTables.Pronouns[g] is var p && (p.Subject == pronoun || p.Object == pronoun || p.Possessive == pronoun));
        foreach (string group in new[] { StoryTasteRule.PronounsGroup, StoryTasteRule.ReactionsGroup })
        {
            Assert.True(exchanged.GetValueOrDefault(group) > 40, $"only {exchanged.GetValueOrDefault(group)} {group} exchanges of {lines.Count} stories");
            Assert.True(broken[group] > 0.9 * exchanged[group], $"{broken[group]} of {exchanged[group]} {group} exchanges broke their term");
        }
    }

    [Fact]
    public void AnExchangeGroupTheRuleLacksIsRefusedNamingTheFieldAndItsGroups()
    {
        var world = StoryWorld.Create(StoryWorld.TemperamentVersion, 2);
        var tokenizer = WordTokenizer.Train(StoryGenerator.Lines(world, corpusSeed: 11, count: 50));
        var rule = new StoryTasteRule(new StoryTaste(world), tokenizer);

        var error = Assert.Throws<OverOptConfigurationException>(() => new GoldEdits(tokenizer, rule.Edits, [StoryTasteRule.PronounsGroup, "colours"]));

        Assert.Equal("exchangeGroups", error.Field);
        Assert.Contains("'colours'", error.Problem);
        Assert.All(StoryTasteRule.ExchangeGroupNames, name => Assert.Contains(name, error.Fix));
    }

    [Fact]
    public void EachWorldByNameHasItsOwnRule()
    {
        var corpus = TextCorpus.Bundled();
        var tokenizer = WordTokenizer.Train(corpus.Stories);

        Assert.IsType<GoldPreference>(WorldCorpora.Rule(WorldCorpora.TinyTales, 5, tokenizer, corpus));
        var story = Assert.IsType<StoryTasteRule>(WorldCorpora.Rule(StoryWorld.Version, 5, tokenizer, corpus));
        Assert.Contains("/world5/", story.Key);
        Assert.Throws<ArgumentException>(() => WorldCorpora.Rule("storyworld-0", 1, tokenizer, corpus));
    }
}

using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Tests;

/// <summary>The synthetic human's rule and the prompt split: properties that make the world worth optimizing for.</summary>
[Trait(Speed.Category, Speed.Fast)]
public class WorldRulesTests
{
    private static readonly TextCorpus Corpus = TextCorpus.Bundled();
    private static readonly WordTokenizer Tokenizer = WordTokenizer.Train(Corpus.Stories);
    private static readonly GoldPreference Rule = new(Tokenizer, Corpus);

    private static double Score(string prompt, string response) => Rule.Score(Tokenizer.Encode(prompt), Tokenizer.Encode(response));

    [Fact]
    public void DegenerateTextScoresFarBelowAStoryOfTheCorpus()
    {
        const string prompt = "<bos> once there was a happy dog named";
        double story = Score(prompt, "max . max liked to play in the park . one day he found a ball");
        double periods = Score(prompt, ". . . . . . . . . . . . . . . .");
        double salad = Score(prompt, "play jump jump dance sing read play jump sing dance . jump sing play read");

        Assert.True(periods < story - 2, $"16 periods {periods:F2} vs a story {story:F2}");
        Assert.True(salad < story - 2, $"word salad {salad:F2} vs a story {story:F2}");
    }

    [Fact]
    public void ASentenceCountsAsFinishedOnlyWithContentBeforeIt()
    {
        var prompt = Tokenizer.Encode("<bos> once there was a dog named");
        var finished = Rule.Explain(prompt, Tokenizer.Encode("max . max liked the ball ."));
        var marks = Rule.Explain(prompt, Tokenizer.Encode("max . . . ."));

        Assert.Equal(0.6, finished.Finish, 10);
        Assert.Equal(0.3, marks.Finish, 10);
    }

    [Fact]
    public void FluencyPrefersTheCorpusOrderToAShuffleOfTheSameWords()
    {
        var prompt = Tokenizer.Encode("<bos> once there was a dog named");
        var ordered = Tokenizer.Encode("max . max liked to run in the park with his ball");
        var shuffled = ordered.Reverse().ToArray();

        Assert.True(Rule.Explain(prompt, ordered).Fluency > Rule.Explain(prompt, shuffled).Fluency + 1);
    }

    [Fact]
    public void HeldOutPromptsAreDistinctAndNeverAmongTheTrainingPrompts()
    {
        var split = PromptSplit.Create(Tokenizer, Corpus, length: 8);
        var train = split.Train.Select(Tokenizer.Decode).ToHashSet();
        var heldOut = split.HeldOut.Select(Tokenizer.Decode).ToList();

        Assert.Equal(split.Train.Count, train.Count);
        Assert.Equal(heldOut.Count, heldOut.Distinct().Count());
        Assert.DoesNotContain(heldOut, train.Contains);
        Assert.InRange(heldOut.Count / (double)(heldOut.Count + train.Count), 0.1, 0.3);
        // Stable: the same split whatever the order of the stories.
        var reversed = PromptSplit.Create(Tokenizer, TextCorpus.FromLines("reversed", Corpus.Stories.Reverse()), length: 8);
        Assert.Equal(heldOut.Order(), reversed.HeldOut.Select(Tokenizer.Decode).Order());
    }
}

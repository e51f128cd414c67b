using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public class WordTokenizerTests
{
    [Fact]
    public void CorpusLinesRoundTripAndPunctuationSplitsOff()
    {
        var tokenizer = WordTokenizer.Train(TestModels.Corpus.Stories);
        string line = TestModels.Corpus.Stories[0];

        Assert.Equal(line, tokenizer.Decode(tokenizer.Encode(line)));
        Assert.Equal(tokenizer.Encode("tom ran ."), tokenizer.Encode("Tom ran."));
        Assert.Equal(WordTokenizer.UnknownId, tokenizer.Encode("zebra")[0]);
        Assert.True(tokenizer.VocabularySize is > 50 and < 400, $"vocabulary {tokenizer.VocabularySize}");
    }

    [Fact]
    public void PromptsHaveTheAskedLengthAndStartWithTheBeginToken()
    {
        var tokenizer = WordTokenizer.Train(TestModels.Corpus.Stories);

        var prompts = TextCorpus.Prompts(tokenizer, TestModels.Corpus.ValidationStories, 8);

        Assert.NotEmpty(prompts);
        Assert.All(prompts, p => Assert.Equal(8, p.Length));
        Assert.All(prompts, p => Assert.Equal(WordTokenizer.BeginId, p[0]));
    }
}

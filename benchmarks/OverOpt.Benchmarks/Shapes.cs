using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Text;

namespace OverOpt.Benchmarks;

/// <summary>The shapes the benchmarks name as "layers x width" (4 heads, context 32, as the pipelines build them) and the bundled corpus's vocabulary.</summary>
internal static class Shapes
{
    private static readonly Lazy<WordTokenizer> BundledTokenizer = new(() => WordTokenizer.Train(TextCorpus.Bundled().Stories));

    /// <summary>The word tokenizer of the bundled corpus (what the pipelines' policies and reward models read).</summary>
    public static WordTokenizer Tokenizer => BundledTokenizer.Value;

    /// <summary>"2x32": 2 layers of width 32.</summary>
    public static GptShape Parse(string name, int vocabularySize)
    {
        var parts = name.Split('x').Select(int.Parse).ToArray();
        return new GptShape { Layers = parts[0], ModelDim = parts[1], Heads = 4, Context = 32, VocabularySize = vocabularySize };
    }

    /// <summary><paramref name="count"/> sequences of <paramref name="length"/> token ids drawn uniformly from the vocabulary.</summary>
    public static int[][] RandomTokens(Random random, int count, int length, int vocabularySize)
        => Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(vocabularySize)).ToArray()).ToArray();
}

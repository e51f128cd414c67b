using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>
/// Whether a language model of storyworld-2 has learnt that sombre heroes never cheer: the probability it gives the
/// cheer words, summed over every position of held-out stories read whole, per story, for stories of sombre heroes
/// (where the truth gives 0) and of the others. A model blind to the hero's temperament puts as much mass on cheer
/// in both; one that reads it puts none in the first. <see cref="Ratio"/> is the first over the second.
/// </summary>
internal sealed record SombreCheerMass(double Sombre, double Other, int SombreStories, int OtherStories)
{
    public double Ratio => Sombre / Other;

    public static SombreCheerMass Measure(GptModel model, WordTokenizer tokenizer, StoryWorld world, IReadOnlyList<GeneratedStory> stories, IReadOnlySet<string> cheerWords, int batchSize = 64)
    {
        model.eval();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var cheerIds = tensor(cheerWords.Select(w => (long)tokenizer.Encode(w).Single()).ToArray(), ScalarType.Int64).to(device);
        double sombre = 0, other = 0;
        int sombreCount = 0, otherCount = 0;
        for (int start = 0; start < stories.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = stories.Skip(start).Take(batchSize).ToArray();
            var rows = batch.Select(s => new[] { WordTokenizer.BeginId }.Concat(tokenizer.Encode(s.Text)).ToArray()).ToArray();
            int length = rows.Max(r => r.Length);
            var inputs = new long[rows.Length * length];
            for (int r = 0; r < rows.Length; r++)
            {
                for (int i = 0; i < length; i++)
                {
                    inputs[r * length + i] = i < rows[r].Length ? rows[r][i] : WordTokenizer.PadId;
                }
            }
            var probabilities = model.forward(tensor(inputs, [rows.Length, length], ScalarType.Int64).to(device)).softmax(-1);
            var mass = probabilities.index_select(-1, cheerIds).sum(-1).cpu().data<float>().ToArray();
            for (int r = 0; r < rows.Length; r++)
            {
                // Every position predicts a story token; padding after the story is left out.
                double total = 0;
                for (int i = 0; i < rows[r].Length; i++)
                {
                    total += mass[r * length + i];
                }
                if (world.IsSombre(batch[r].Plot.Hero!))
                {
                    sombre += total;
                    sombreCount++;
                }
                else
                {
                    other += total;
                    otherCount++;
                }
            }
        }
        return new SombreCheerMass(sombre / Math.Max(1, sombreCount), other / Math.Max(1, otherCount), sombreCount, otherCount);
    }

    public override string ToString()
        => $"cheer mass per story: sombre heroes {Sombre:F4} ({SombreStories} stories), others {Other:F4} ({OtherStories}); ratio {Ratio:F3}";
}

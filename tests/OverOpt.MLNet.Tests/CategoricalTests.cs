using OverOpt.MLNet.Sampling;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public class CategoricalTests
{
    [Fact]
    public void DrawsMatchTheProbabilitiesAndNeverPickAZeroProbabilityCategory()
    {
        Torch.TorchRuntime.EnsureLoaded();
        double[] p = [0.5, 0.0, 0.3, 0.15, 0.05, 0.0];
        const int rows = 40000;
        using var probabilities = tensor(p.Select(v => (float)v).ToArray()).unsqueeze(0).expand(rows, p.Length).contiguous();
        using var generator = new Generator(3);

        using var drawn = Categorical.Sample(probabilities, generator);
        var counts = new int[p.Length];
        foreach (var index in drawn.data<long>().ToArray())
        {
            counts[index]++;
        }

        for (int i = 0; i < p.Length; i++)
        {
            double expected = rows * p[i];
            double sigma = Math.Sqrt(rows * p[i] * (1 - p[i]));
            Assert.True(Math.Abs(counts[i] - expected) <= 4 * sigma, $"category {i}: {counts[i]} draws, expected {expected:F0} +- {sigma:F0}");
        }
        Assert.Equal(0, counts[1]);
        Assert.Equal(0, counts[5]);
    }
}

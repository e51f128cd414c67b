using OverOpt.MLNet.BestOfN;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public class BestOfNMathTests
{
    /// <summary>Best-of-n by brute force: every n-subset equally likely, the best by proxy, ties broken uniformly.</summary>
    private static (double Proxy, double Gold) BruteForce(float[] proxy, float[] gold, int n)
    {
        double proxySum = 0, goldSum = 0;
        long subsets = 0;
        int count = proxy.Length;
        for (int mask = 0; mask < 1 << count; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != n)
            {
                continue;
            }
            var members = Enumerable.Range(0, count).Where(i => (mask & (1 << i)) != 0).ToArray();
            float best = members.Max(i => proxy[i]);
            var tied = members.Where(i => proxy[i] == best).ToArray();
            proxySum += best;
            goldSum += tied.Average(i => (double)gold[i]);
            subsets++;
        }
        return (proxySum / subsets, goldSum / subsets);
    }

    [Fact]
    public void TheUnbiasedEstimatorEqualsSubsetEnumerationWithTies()
    {
        float[] proxy = [0.5f, 1.0f, 0.5f, 2.0f, 1.0f, 1.0f, -0.3f, 2.0f, 0.1f, 0.5f];
        float[] gold = [1.0f, -2.0f, 0.0f, 3.0f, 0.5f, 4.0f, -1.0f, -3.0f, 2.0f, 0.25f];

        for (int n = 1; n <= proxy.Length; n++)
        {
            var expected = BruteForce(proxy, gold, n);
            var estimated = BestOfNMath.Expected(proxy, gold, n);
            Assert.Equal(expected.Proxy, estimated.Proxy, 9);
            Assert.Equal(expected.Gold, estimated.Gold, 9);
        }
    }

    /// <summary>
    /// Gold as its own proxy (the oracle, world-pilot section 13) bounds every proxy's best-of-n gold at every n, ties
    /// included: on each n-subset the oracle picks a sample of the subset's highest gold, and the estimator averages
    /// over subsets. Its curve never falls with n.
    /// </summary>
    [Fact]
    public void NoProxyBeatsGoldAsItsOwnProxyAtAnyN()
    {
        var random = new Random(7);
        // A discrete gold, as the reader's taste is: many ties, a ceiling.
        float[] gold = Enumerable.Range(0, 200).Select(_ => (float)random.Next(-3, 2)).ToArray();
        float[][] proxies =
        [
            gold.Select(g => g + (float)random.NextDouble()).ToArray(),
            gold.Select(_ => (float)random.Next(0, 3)).ToArray(),
            gold.Select(g => -g).ToArray(),
        ];

        double previous = double.NegativeInfinity;
        foreach (int n in new[] { 1, 2, 5, 20, 80, 200 })
        {
            double oracle = BestOfNMath.Expected(gold, gold, n).Gold;
            Assert.True(oracle >= previous - 1e-12, $"the oracle's gold fell from {previous} to {oracle} at n = {n}");
            foreach (var proxy in proxies)
            {
                Assert.True(BestOfNMath.Expected(proxy, gold, n).Gold <= oracle + 1e-12, $"a proxy beat the oracle at n = {n}");
            }
            previous = oracle;
        }
        Assert.Equal(1.0, previous, 12);
    }

    [Fact]
    public void WeightsSumToOneWithoutOverflowForLargeN()
    {
        var weights = BestOfNMath.Weights(60000, 1000);

        Assert.Equal(1.0, weights.Sum(), 9);
        Assert.All(weights, w => Assert.True(double.IsFinite(w) && w >= 0));
        Assert.Equal(0, weights[998]);
    }

    [Theory]
    [InlineData(2, 0.193)]
    [InlineData(16, 1.835)]
    [InlineData(1000, 5.91)]
    [InlineData(60000, 10.0)]
    public void AnalyticKlMatchesThePaper(int n, double kl)
    {
        Assert.Equal(kl, BestOfNMath.AnalyticKl(n), kl >= 5 ? 2 : 3);
    }

    [Fact]
    public void MeasuredKlApproachesTheBoundWithoutDuplicatesAndFallsWithThem()
    {
        var random = new Random(3);
        var distinct = Enumerable.Range(0, 20000).Select(_ => (float)random.NextDouble()).ToArray();
        var gold = new float[distinct.Length];
        // Half of the samples are one response repeated, the one the proxy likes best: best-of-16 almost always
        // returns it, so its KL is close to ln 2, far below the analytic 1.835 (Beirami et al.).
        var duplicated = distinct.Select((v, i) => i % 2 == 0 ? 2.0f : v).ToArray();

        double withoutDuplicates = BestOfNMath.MeasuredKl(BestOfNMath.Sorted(distinct, gold), 16);
        double withDuplicates = BestOfNMath.MeasuredKl(BestOfNMath.Sorted(duplicated, gold), 16);

        Assert.Equal(BestOfNMath.AnalyticKl(16), withoutDuplicates, 2);
        Assert.Equal(Math.Log(2), withDuplicates, 3);
        Assert.Equal(0, BestOfNMath.MeasuredKl(BestOfNMath.Sorted(distinct, gold), 1), 12);
    }

    [Fact]
    public void TheGridIsEvenInDAndSpansTheRange()
    {
        var grid = BestOfNMath.GridEvenInD(1000, 12);

        Assert.Equal(1, grid[0]);
        Assert.Equal(1000, grid[^1]);
        var d = grid.Select(n => Math.Sqrt(BestOfNMath.AnalyticKl(n))).ToArray();
        var steps = d.Zip(d.Skip(1), (a, b) => b - a).ToArray();
        Assert.True(steps.Max() < 2.5 * steps.Where(s => s > 0).Min(), string.Join(", ", grid));
    }
}

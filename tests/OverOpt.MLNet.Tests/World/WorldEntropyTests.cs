using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>The world's per-token entropy: a ratio of exact sums, its interval honest, stable across seeds.</summary>
public class WorldEntropyTests
{
    [Fact]
    public void TheEntropyIsTheStoriesNatsOverTheirScoredTokens()
    {
        var stories = new StoryGenerator(StoryWorld.Create(1), corpusSeed: 1).Generate(2000).ToList();
        var estimate = CorpusEntropy.Estimate(stories);

        Assert.Equal(stories.Sum(s => -s.LogProbability) / stories.Sum(s => s.ScoredTokens), estimate.NatsPerToken, 12);
        Assert.True(estimate.Lower < estimate.NatsPerToken && estimate.NatsPerToken < estimate.Upper);
    }

    [Fact]
    public void TwoCorporaOfOneWorldAgreeWithinTheirIntervals()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(seed);
            var first = CorpusEntropy.Estimate(world, corpusSeed: 1, count: 20000);
            var second = CorpusEntropy.Estimate(world, corpusSeed: 2, count: 20000);
            double halfWidths = (first.Upper - first.Lower) / 2 + (second.Upper - second.Lower) / 2;

            Assert.True(Math.Abs(first.NatsPerToken - second.NatsPerToken) < 1.5 * halfWidths, $"{first} vs {second}");
        }
    }

    [Fact]
    public void OnlyFreeChoicesCarryEntropy()
    {
        var byRole = CorpusEntropy.ByRole(new StoryGenerator(StoryWorld.Create(2), corpusSeed: 3).Generate(2000));

        Assert.True(byRole[TokenRole.Free].NatsPerToken > 0.5);
        Assert.All(byRole.Where(kv => kv.Key != TokenRole.Free), kv => Assert.Equal(0.0, kv.Value.NatsPerToken, 12));
        Assert.Equal(1.0, byRole.Values.Sum(v => v.TokenShare), 12);
    }

    [Fact]
    public void TheIntervalOfARatioCoversAKnownCase()
    {
        var estimate = EntropyEstimate.FromStories([10, 20, 30, 40], [10, 10, 10, 10]);

        Assert.Equal(2.5, estimate.NatsPerToken, 12);
        // Residuals -1.5, -0.5, 0.5, 1.5 nats per token: sample sd sqrt(5/3), standard error sqrt(5/3)/2.
        Assert.Equal(2.5 - 1.96 * Math.Sqrt(5.0 / 3) / 2, estimate.Lower, 10);
    }
}

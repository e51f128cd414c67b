using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The weights that count a rare term's breaks as if a set share of pi_init's samples broke it
/// (<see cref="RareTermWeights"/>): only samples breaking a term rarer than the share gain, by that share over the term's,
/// edited copies keep their weight, and the weights average 1.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class RareTermWeightsTests
{
    private static IReadOnlyDictionary<string, double> Terms(double pronoun, double count) => new Dictionary<string, double> { ["pronoun"] = pronoun, ["count"] = count };

    [Fact]
    public void ASampleBreakingARareTermWeighsAsIfTheShareBrokeIt()
    {
        // Twenty samples: one breaks the pronoun (5%), eight the count (40%); two edited copies break both.
        var rows = Enumerable.Range(0, 20).Select(i => Terms(i == 0 ? -1.5 : 0, i is >= 10 and < 18 ? -1.5 : 0))
            .Concat([Terms(-1.5, -1.5), Terms(-1.5, -1.5)]).ToArray();
        bool[] edited = [.. Enumerable.Repeat(false, 20), true, true];

        var (weights, factors) = RareTermWeights.Apply(null, edited, rows, 0.2);

        Assert.Equal(1.0, weights.Average(w => (double)w), 5);
        // 0.2 / 0.05 = 4 times a plain sample; the count's breakers (40%, not rare) and the copies weigh as plain samples.
        Assert.Equal(4.0, weights[0] / weights[1], 4);
        Assert.Equal(1.0, weights[12] / weights[1], 6);
        Assert.Equal(1.0, weights[20] / weights[1], 6);
        Assert.Equal(["pronoun"], factors.Keys);
        Assert.Equal(4.0, factors["pronoun"], 9);
    }

    [Fact]
    public void TheEarlierWeightsAreKeptAndTheLargestFactorWins()
    {
        // Ten samples: sample 0 breaks both terms, the pronoun 10% of samples, the count 20%; the earlier weights differ.
        var rows = Enumerable.Range(0, 10).Select(i => Terms(i == 0 ? -1.5 : 0, i is 0 or 1 ? -1.5 : 0)).ToArray();
        float[] before = [2f, 2f, .. Enumerable.Repeat(1f, 8)];

        var weights = RareTermWeights.Apply(before, new bool[10], rows, 0.5).Weights;

        Assert.Equal(2 * 5.0 / (2 * 2.5), weights[0] / weights[1], 4);
        Assert.Equal(2 * 2.5, weights[1] / weights[2], 4);
        Assert.Equal(1.0, weights.Average(w => (double)w), 5);
    }

    [Fact]
    public void ABreakIsADepartureFromTheMostCommonValueNotFromZero()
    {
        // A term most samples hold at -1 (cheer-like): the two at 0 depart from it.
        var rows = Enumerable.Range(0, 10).Select(i => Terms(i < 2 ? 0 : -1, 0)).ToArray();

        var weights = RareTermWeights.Apply(null, new bool[10], rows, 0.4).Weights;

        Assert.Equal(2.0, weights[0] / weights[5], 4);
        Assert.Equal(weights[2], weights[9]);
    }

    [Fact]
    public void WithoutARareTermEveryRowKeepsItsWeight()
    {
        var rows = Enumerable.Range(0, 4).Select(i => Terms(i % 2 == 0 ? -1.5 : 0, 0)).ToArray();

        var (weights, factors) = RareTermWeights.Apply(null, new bool[4], rows, 0.3);

        Assert.All(weights, w => Assert.Equal(1f, w));
        Assert.Empty(factors);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void AShareOutsideTheOpenUnitIntervalIsRefused(double share)
        => Assert.Throws<ArgumentOutOfRangeException>(() => RareTermWeights.Apply(null, [false], [Terms(0, 0)], share));

    [Fact]
    public void RowsOfDifferentLengthsAreRefused()
        => Assert.Throws<ArgumentException>(() => RareTermWeights.Apply([1f, 1f], [false], [Terms(0, 0)], 0.1));
}

using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The weights of gold's balanced error (<see cref="GoldErrorWeights"/>): each group's error counts relative to its
/// own spread, and the weights average 1, so the loss keeps the plain error's scale; exchanges may be a group of their own.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class GoldErrorWeightsTests
{
    [Fact]
    public void EachGroupsWeightedSpreadPerRowIsTheSameAndTheWeightsAverageOne()
    {
        // Samples spread narrowly, edited copies widely, in unequal numbers.
        bool[] edited = [false, false, false, false, false, false, true, true];
        double[] targets = [0.1, -0.1, 0.2, 0.0, -0.2, 0.0, 3.0, -5.0];

        var weights = GoldErrorWeights.Of(edited, targets);

        Assert.Equal(1.0, weights.Average(w => (double)w), 6);
        double Spread(bool group)
        {
            var rows = Enumerable.Range(0, edited.Length).Where(i => edited[i] == group).ToArray();
            double mean = rows.Average(i => targets[i]);
            return rows.Average(i => weights[i] * (targets[i] - mean) * (targets[i] - mean));
        }
        Assert.Equal(Spread(false), Spread(true), 5);
        Assert.True(weights[0] > 100 * weights[^1], $"sample weight {weights[0]}, copy weight {weights[^1]}");
    }

    [Fact]
    public void WithoutEditedCopiesEveryRowWeighsOne()
    {
        var weights = GoldErrorWeights.Of([false, false, false], [1.0, -2.0, 0.5]);

        Assert.All(weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void AGroupWhoseTargetsDoNotVaryIsNotRescaled()
    {
        // The copies all score 2: their weight before scaling is 1, the samples' 1 / 0.25.
        var weights = GoldErrorWeights.Of([false, false, true, true], [0.5, -0.5, 2.0, 2.0]);

        Assert.Equal(4.0, weights[0] / weights[2], 5);
        Assert.All(weights, w => Assert.True(float.IsFinite(w)));
    }

    [Fact]
    public void ExchangesCountedApartWeighByTheirOwnSpreadNotTheEditedCopies()
    {
        // Samples and exchanges spread narrowly, edited copies widely; as two groups the exchanges take the copies' weight.
        int[] groups = [0, 0, 0, 0, 1, 1, 2, 2, 2];
        double[] targets = [0.1, -0.1, 0.2, -0.2, 3.0, -5.0, 0.0, -0.3, 0.3];

        var three = GoldErrorWeights.Of(groups, targets);
        var two = GoldErrorWeights.Of(groups.Select(g => g != 0).ToArray(), targets);

        Assert.Equal(1.0, three.Average(w => (double)w), 6);
        double Spread(int group)
        {
            var rows = Enumerable.Range(0, groups.Length).Where(i => groups[i] == group).ToArray();
            double mean = rows.Average(i => targets[i]);
            return rows.Average(i => three[i] * (targets[i] - mean) * (targets[i] - mean));
        }
        Assert.Equal(Spread(0), Spread(2), 5);
        Assert.Equal(Spread(0), Spread(1), 5);
        Assert.True(three[^1] > 10 * three[4], $"exchange weight {three[^1]}, copy weight {three[4]}");
        Assert.True(two[^1] < 2 * two[0] / 10, $"among the copies an exchange weighs {two[^1]} against a sample's {two[0]}");
    }

    [Fact]
    public void TwoGroupsGiveTheWeightsOfTheFlags()
    {
        bool[] edited = [false, true, false, true, true];
        double[] targets = [0.4, -2.0, -0.1, 1.5, 3.0];

        Assert.Equal(GoldErrorWeights.Of(edited, targets), GoldErrorWeights.Of(edited.Select(e => e ? 1 : 0).ToArray(), targets));
    }

    [Fact]
    public void FlagsAndTargetsOfDifferentLengthsAreRefused()
        => Assert.Throws<ArgumentException>(() => GoldErrorWeights.Of([false], [1.0, 2.0]));
}

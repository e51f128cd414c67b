using OverOpt.Experiments.Reporting;

namespace OverOpt.Experiments.Tests;

/// <summary>Progress lines' durations keep their hours (an hour-long gold training once read "eta 3:29").</summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class ClockTextTests
{
    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(59.6, "1:00")]
    [InlineData(568.4, "9:28")]
    [InlineData(3599.4, "59:59")]
    [InlineData(3808, "1:03:28")]
    [InlineData(25 * 3600 + 5, "25:00:05")]
    [InlineData(-3, "0:00")]
    public void ADurationReadsAsMinutesUnderAnHourAndKeepsItsHoursBeyond(double seconds, string expected) =>
        Assert.Equal(expected, ClockText.Of(seconds));
}

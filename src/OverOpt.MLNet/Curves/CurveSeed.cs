using System.Globalization;

namespace OverOpt.MLNet.Curves;

/// <summary>
/// The seed a curve was computed with, or the mean over seeds (<see cref="IsMean"/>; then <see cref="Value"/> is 0 and
/// the curve's intervals are seed-level). Tables write it as the number or <c>mean</c>.
/// </summary>
public readonly record struct CurveSeed(int Value, bool IsMean)
{
    /// <summary>The mean over seeds.</summary>
    public static CurveSeed Mean => new(0, true);

    /// <summary>One seed.</summary>
    public static implicit operator CurveSeed(int seed) => new(seed, false);

    /// <summary>The number, or <c>mean</c>.</summary>
    public override string ToString() => IsMean ? "mean" : Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads what <see cref="ToString"/> writes; false for anything else.</summary>
    public static bool TryParse(string text, out CurveSeed seed)
    {
        if (text == "mean")
        {
            seed = Mean;
            return true;
        }
        bool parsed = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value);
        seed = value;
        return parsed;
    }
}

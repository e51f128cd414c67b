using System.Globalization;

namespace OverOpt.Experiments.Reporting;

/// <summary>
/// A duration as progress lines write it: m:ss under an hour, h:mm:ss from an hour on. A format string alone
/// (<c>m\:ss</c>) drops the hours, so a gold network's hour-long training once read "eta 3:29".
/// </summary>
public static class ClockText
{
    public static string Of(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds)));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t:mm\\:ss}")
            : t.ToString("m\\:ss", CultureInfo.InvariantCulture);
    }
}

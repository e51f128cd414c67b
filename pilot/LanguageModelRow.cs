using System.Globalization;

namespace WorldPilot;

/// <summary>One language model of the train mode's pilot.csv (the columns the report reads).</summary>
internal sealed record LanguageModelRow(int World, int Stories, int Steps, string Shape, long Parameters, double Seconds,
    double Loss, double LossLow, double LossHigh, double Entropy, double Excess, double ExcessLow, double ExcessHigh)
{
    public static IReadOnlyList<LanguageModelRow> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var columns = lines[0].Split(',').Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(f => new LanguageModelRow(
            int.Parse(f[columns["world"]]), int.Parse(f[columns["stories"]]), int.Parse(f[columns["steps"]]), f[columns["shape"]], long.Parse(f[columns["parameters"]]),
            D(f[columns["seconds"]]), D(f[columns["loss"]]), D(f[columns["lossLow"]]), D(f[columns["lossHigh"]]), D(f[columns["entropy"]]),
            D(f[columns["excess"]]), D(f[columns["excessLow"]]), D(f[columns["excessHigh"]]))).ToList();
    }

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}

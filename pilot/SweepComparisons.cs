using OverOpt.Experiments.Files;

namespace WorldPilot;

/// <summary>One split of a sweep task's comparisons.csv, as text: the pairs whose responses read back at full length.</summary>
internal static class SweepComparisons
{
    public sealed record Pair(string Prompt, string Chosen, string Rejected)
    {
        public static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Pair[] Read(string task, string split)
    {
        var comparisons = CsvDocument.Read(Path.Combine(task, OutputFiles.Comparisons));
        int s = comparisons.IndexOf("split"), p = comparisons.IndexOf("prompt"), c = comparisons.IndexOf("chosen"), r = comparisons.IndexOf("rejected");
        var all = comparisons.Rows.Where(row => row[s] == split).Select(row => new Pair(row[p], row[c], row[r])).ToArray();
        // A response that sampled <pad> reads back one word short (the tokenizer's text skips it), and where it stood is
        // lost; such pairs (at most 4 of 7,000 in the task checked) are left out rather than scored on another text than the reader read.
        int length = all.Max(x => Pair.Words(x.Chosen).Length);
        return all.Where(x => Pair.Words(x.Chosen).Length == length && Pair.Words(x.Rejected).Length == length).ToArray();
    }
}

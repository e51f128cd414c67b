using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// What the taste sees in pi_init's responses: the share breaking each term at least once, the mean cheer, and how the
/// comparisons are decided (exact ties go to a coin; pairs only cheer or only violations tell apart).
/// </summary>
internal sealed record TasteShares(IReadOnlyDictionary<ViolationKind, double> Breaking, double AnyBreak, double MeanCheer, double Ties, double CheerDecided, double ViolationDecided, int Responses)
{
    public static TasteShares Of(IReadOnlyList<TasteComparisons.Labelled> comparisons)
    {
        var parts = comparisons.SelectMany(c => new[] { c.Chosen, c.Rejected }).ToList();
        var breaking = Enum.GetValues<ViolationKind>().ToDictionary(k => k, k => parts.Count(p => p.Count(k) > 0) / (double)parts.Count);
        return new TasteShares(
            breaking,
            parts.Count(p => p.Violations.Count > 0) / (double)parts.Count,
            parts.Average(p => p.Cheer),
            comparisons.Count(c => c.Chosen.Total == c.Rejected.Total) / (double)comparisons.Count,
            comparisons.Count(TasteAgreement.CheerDecides) / (double)comparisons.Count,
            comparisons.Count(TasteAgreement.ViolationsDecide) / (double)comparisons.Count,
            parts.Count);
    }

    public override string ToString()
        => $"{Responses} responses: {AnyBreak:P1} break something; " + string.Join(", ", Breaking.Select(kv => $"{kv.Key} {kv.Value:P1}"))
            + $"; mean cheer {MeanCheer:F3}; comparisons tied {Ties:P1}, decided by cheer alone {CheerDecided:P1}, by violations alone {ViolationDecided:P1}";
}

namespace WorldPilot;

/// <summary>
/// How often a score orders held-out pairs as the taste does before label noise (exact ties left out), in all and on
/// the pairs that only one term tells apart: cheer alone (same violations cost) or violations alone (same cheer).
/// </summary>
internal sealed record TasteAgreement(double Clean, double Cheer, double Violations)
{
    public static bool CheerDecides(TasteComparisons.Labelled c) => c.Chosen.Penalty == c.Rejected.Penalty && c.Chosen.Cheer != c.Rejected.Cheer;

    public static bool ViolationsDecide(TasteComparisons.Labelled c) => c.Chosen.Cheer == c.Rejected.Cheer && c.Chosen.Penalty != c.Rejected.Penalty;

    /// <summary>The agreement of scores of each comparison's chosen and rejected responses (any scale: only their order counts).</summary>
    public static TasteAgreement Of(IReadOnlyList<TasteComparisons.Labelled> comparisons, IReadOnlyList<double> chosen, IReadOnlyList<double> rejected)
    {
        // 1 where the score ranks the response the taste prefers higher, 0 where lower, half for a tie.
        double Agrees(int i)
        {
            double score = chosen[i] - rejected[i], taste = comparisons[i].Chosen.Total - comparisons[i].Rejected.Total;
            return score == 0 ? 0.5 : Math.Sign(score) == Math.Sign(taste) ? 1 : 0;
        }
        double Share(Func<TasteComparisons.Labelled, bool> which)
        {
            var members = Enumerable.Range(0, comparisons.Count).Where(i => which(comparisons[i])).ToList();
            return members.Count == 0 ? double.NaN : members.Average(Agrees);
        }
        return new TasteAgreement(Share(c => c.Chosen.Total != c.Rejected.Total), Share(CheerDecides), Share(ViolationsDecide));
    }

    /// <inheritdoc cref="Of(IReadOnlyList{TasteComparisons.Labelled}, IReadOnlyList{double}, IReadOnlyList{double})"/>
    public static TasteAgreement Of(IReadOnlyList<TasteComparisons.Labelled> comparisons, IReadOnlyList<float> chosen, IReadOnlyList<float> rejected)
        => Of(comparisons, chosen.Select(v => (double)v).ToArray(), rejected.Select(v => (double)v).ToArray());

    public override string ToString() => $"{Clean:F3} (cheer-decided {Cheer:F3}, violation-decided {Violations:F3})";
}

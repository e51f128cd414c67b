using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// How often a reward model orders held-out pairs as the taste does before label noise (exact ties left out), in all
/// and on the pairs that only one term tells apart: cheer alone (same violations cost) or violations alone (same cheer).
/// </summary>
internal sealed record TasteAgreement(double Clean, double Cheer, double Violations)
{
    public static bool CheerDecides(TasteComparisons.Labelled c) => c.Chosen.Penalty == c.Rejected.Penalty && c.Chosen.Cheer != c.Rejected.Cheer;

    public static bool ViolationsDecide(TasteComparisons.Labelled c) => c.Chosen.Cheer == c.Rejected.Cheer && c.Chosen.Penalty != c.Rejected.Penalty;

    public static TasteAgreement Of(RewardModel model, IReadOnlyList<TasteComparisons.Labelled> comparisons)
    {
        var prompts = comparisons.Select(c => c.Row.PromptTokens).ToArray();
        var chosen = model.RawScore(prompts, comparisons.Select(c => c.Row.ChosenTokens).ToArray());
        var rejected = model.RawScore(prompts, comparisons.Select(c => c.Row.RejectedTokens).ToArray());
        // +1 where the model ranks the response the taste prefers higher, 0 where it ranks it lower, half for a tie.
        double Agrees(int i)
        {
            double model = chosen[i] - rejected[i], taste = comparisons[i].Chosen.Total - comparisons[i].Rejected.Total;
            return model == 0 ? 0.5 : Math.Sign(model) == Math.Sign(taste) ? 1 : 0;
        }
        double Share(Func<TasteComparisons.Labelled, bool> which)
        {
            var members = Enumerable.Range(0, comparisons.Count).Where(i => which(comparisons[i])).ToList();
            return members.Count == 0 ? double.NaN : members.Average(Agrees);
        }
        return new TasteAgreement(Share(c => c.Chosen.Total != c.Rejected.Total), Share(CheerDecides), Share(ViolationsDecide));
    }
}

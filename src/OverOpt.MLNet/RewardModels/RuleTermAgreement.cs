namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// How faithfully a reward model reproduces each term of a rule (gold's, in the gold trainer's metrics): over pairs of
/// responses in which the term is pivotal (without it the rule would order the pair the other way, or tie it), the
/// share the model orders as the rule does (a tie of its scores counting half). A model that ignores a term gets its
/// pivotal pairs wrong, since there the other terms point the other way; a term never pivotal has no agreement (left
/// out).
/// </summary>
public static class RuleTermAgreement
{
    /// <summary>Pairs are taken among the first this many samples: all pairs of 600 are 179,700, plenty for rare terms.</summary>
    private const int MaxSamples = 600;

    /// <summary>One term's agreement over the <paramref name="Pairs"/> pairs in which it is pivotal.</summary>
    public sealed record Term(string Name, double Agreement, int Pairs);

    /// <summary>Whether a term that differs by <paramref name="termDifference"/> between two responses decides their order, given the rule's total differs by <paramref name="totalDifference"/>: without it the rule would order them the other way or tie them.</summary>
    public static bool IsPivotal(double totalDifference, double termDifference)
        => totalDifference != 0 && termDifference != 0 && Math.Sign(totalDifference - termDifference) != Math.Sign(totalDifference);

    /// <summary>Each term's agreement over all pairs among the first 600 of <paramref name="samples"/>, scored <paramref name="predicted"/> by the model.</summary>
    public static IReadOnlyList<Term> Measure(IPreferenceRule rule, IReadOnlyList<(int[] Prompt, int[] Response)> samples, IReadOnlyList<float> predicted)
    {
        int count = Math.Min(samples.Count, MaxSamples);
        var terms = Enumerable.Range(0, count).Select(i => rule.Terms(samples[i].Prompt, samples[i].Response)).ToArray();
        if (count < 2)
        {
            return [];
        }
        var totals = terms.Select(t => t.Values.Sum()).ToArray();
        var result = new List<Term>();
        foreach (string name in terms[0].Keys)
        {
            int pairs = 0;
            double agree = 0;
            for (int a = 0; a < count; a++)
            {
                for (int b = a + 1; b < count; b++)
                {
                    double total = totals[a] - totals[b];
                    if (!IsPivotal(total, terms[a][name] - terms[b][name]))
                    {
                        continue;
                    }
                    pairs++;
                    // A tie of the model's scores is half right, as a coin would be.
                    agree += predicted[a] == predicted[b] ? 0.5 : (predicted[a] > predicted[b]) == (total > 0) ? 1 : 0;
                }
            }
            if (pairs > 0)
            {
                result.Add(new Term(name, agree / pairs, pairs));
            }
        }
        return result;
    }
}

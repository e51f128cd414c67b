namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// How faithfully a reward model reproduces each term of a rule (gold's, in the gold trainer's metrics): over pairs of
/// responses in which the term is pivotal (without it the rule would order the pair the other way, or tie it), the
/// share the model orders as the rule does (a tie of its scores counting half). A model that ignores a term gets its
/// pivotal pairs wrong, since there the other terms point the other way; a term never pivotal has no agreement (left
/// out).
/// </summary>
/// <remarks>
/// Pairs are all pairs of the samples given, so a response that breaks a rare term sits in nearly all of that term's
/// pairs: thousands of pairs can rest on a handful of responses, and an interval from the pair count would be far too
/// narrow. The standard error is therefore taken over prompts (the responses to one prompt share its story, so they
/// are not independent): the agreement is a ratio of two U-statistics, whose first-order (Hoeffding, delta-method)
/// variance is the spread of each prompt's summed influence, sum_c (A_c - R P_c)^2 / pairs^2, where A_c and P_c are
/// the agreeing and pivotal pairs that the responses to prompt c take part in. For a term broken by k responses this
/// is about the spread of those k responses' own agreements over k, as it should be. All pairs cost O(n^2) per term:
/// some seconds at 20,000 samples.
/// </remarks>
public static class RuleTermAgreement
{
    /// <summary>One term's agreement over the <paramref name="Pairs"/> pairs in which it is pivotal, with its standard error over prompts (NaN where fewer than two prompts take part).</summary>
    public sealed record Term(string Name, double Agreement, long Pairs, double StandardError);

    /// <summary>Whether a term that differs by <paramref name="termDifference"/> between two responses decides their order, given the rule's total differs by <paramref name="totalDifference"/>: without it the rule would order them the other way or tie them.</summary>
    public static bool IsPivotal(double totalDifference, double termDifference)
        => totalDifference != 0 && termDifference != 0 && Math.Sign(totalDifference - termDifference) != Math.Sign(totalDifference);

    /// <summary>
    /// Each term's agreement over all pairs of <paramref name="samples"/>, scored <paramref name="predicted"/> by the
    /// model, with its standard error over the samples' prompts; only the terms named in <paramref name="only"/> where
    /// it is given (each costs a pass over all pairs).
    /// </summary>
    public static IReadOnlyList<Term> Measure(IPreferenceRule rule, IReadOnlyList<(int[] Prompt, int[] Response)> samples, IReadOnlyList<float> predicted,
        IReadOnlySet<string>? only = null)
    {
        if (samples.Count != predicted.Count)
        {
            throw new ArgumentException($"{samples.Count} samples but {predicted.Count} scores.", nameof(predicted));
        }
        int count = samples.Count;
        if (count < 2)
        {
            return [];
        }
        var terms = Enumerable.Range(0, count).Select(i => rule.Terms(samples[i].Prompt, samples[i].Response)).ToArray();
        var totals = terms.Select(t => t.Values.Sum()).ToArray();
        var prompts = PromptGroups(samples);
        var result = new List<Term>();
        foreach (string name in terms[0].Keys.Where(name => only is null || only.Contains(name)))
        {
            var values = terms.Select(t => t[name]).ToArray();
            var (agreeing, pivotal) = (new double[count], new double[count]);
            for (int a = 0; a < count; a++)
            {
                for (int b = a + 1; b < count; b++)
                {
                    double total = totals[a] - totals[b];
                    if (!IsPivotal(total, values[a] - values[b]))
                    {
                        continue;
                    }
                    // A tie of the model's scores is half right, as a coin would be.
                    double agree = predicted[a] == predicted[b] ? 0.5 : (predicted[a] > predicted[b]) == (total > 0) ? 1 : 0;
                    (agreeing[a], agreeing[b], pivotal[a], pivotal[b]) = (agreeing[a] + agree, agreeing[b] + agree, pivotal[a] + 1, pivotal[b] + 1);
                }
            }
            // Each pair was counted once for each of its two responses.
            double pairs = pivotal.Sum() / 2;
            if (pairs > 0)
            {
                double agreement = agreeing.Sum() / 2 / pairs;
                result.Add(new Term(name, agreement, (long)pairs, StandardError(agreeing, pivotal, prompts, agreement, pairs)));
            }
        }
        return result;
    }

    /// <summary>sqrt(C/(C-1) sum_c (A_c - R P_c)^2) / pairs over the C prompts that take part in a pivotal pair.</summary>
    private static double StandardError(double[] agreeing, double[] pivotal, int[] prompt, double agreement, double pairs)
    {
        var influence = new Dictionary<int, double>();
        for (int i = 0; i < prompt.Length; i++)
        {
            if (pivotal[i] > 0)
            {
                influence[prompt[i]] = influence.GetValueOrDefault(prompt[i]) + agreeing[i] - agreement * pivotal[i];
            }
        }
        int clusters = influence.Count;
        return clusters < 2 ? double.NaN : Math.Sqrt(clusters / (clusters - 1.0) * influence.Values.Sum(e => e * e)) / pairs;
    }

    /// <summary>Each sample's prompt as a group number; samples whose prompts hold the same tokens share one.</summary>
    private static int[] PromptGroups(IReadOnlyList<(int[] Prompt, int[] Response)> samples)
    {
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        return samples.Select(s =>
        {
            string key = string.Join(',', s.Prompt);
            if (!groups.TryGetValue(key, out int group))
            {
                groups[key] = group = groups.Count;
            }
            return group;
        }).ToArray();
    }
}

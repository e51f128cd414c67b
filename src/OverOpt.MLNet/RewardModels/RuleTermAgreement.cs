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
    /// One term's agreement for a model and a baseline read on the same <paramref name="Pairs"/> pivotal pairs, with the
    /// standard error over prompts of their difference (NaN where fewer than two prompts take part). Paired: the
    /// responses that break a term move both agreements, so the difference is known far better than either alone.
    /// </summary>
    public sealed record Difference(string Name, double Agreement, double BaselineAgreement, long Pairs, double StandardError)
    {
        /// <summary>The model's agreement less the baseline's.</summary>
        public double Change => Agreement - BaselineAgreement;
    }

    /// <summary>
    /// Each term's agreement over all pairs of <paramref name="samples"/>, scored <paramref name="predicted"/> by the
    /// model, with its standard error over the samples' prompts; only the terms named in <paramref name="only"/> where
    /// it is given (each costs a pass over all pairs).
    /// </summary>
    public static IReadOnlyList<Term> Measure(IPreferenceRule rule, IReadOnlyList<(int[] Prompt, int[] Response)> samples, IReadOnlyList<float> predicted,
        IReadOnlySet<string>? only = null)
    {
        RequireScores(samples, predicted, nameof(predicted));
        return [.. Sums(rule, samples, [predicted], only).Select(t =>
        {
            double agreement = t.Agreeing[0].Sum() / 2 / t.Pairs;
            return new Term(t.Name, agreement, (long)t.Pairs, StandardError(t.Agreeing[0], t.Pivotal, t.Prompts, agreement, t.Pairs));
        })];
    }

    /// <summary>
    /// Each term's agreement for <paramref name="predicted"/> and <paramref name="baseline"/>, two models' scores of the
    /// same <paramref name="samples"/>, over the same pivotal pairs, with the standard error over prompts of the
    /// difference (the ratio of the two models' agreeing-pair difference to the pivotal pairs, by the same delta method
    /// as <see cref="Measure"/>): how two recipes of gold compare on one evaluation set.
    /// </summary>
    public static IReadOnlyList<Difference> Compare(IPreferenceRule rule, IReadOnlyList<(int[] Prompt, int[] Response)> samples, IReadOnlyList<float> predicted,
        IReadOnlyList<float> baseline, IReadOnlySet<string>? only = null)
    {
        RequireScores(samples, predicted, nameof(predicted));
        RequireScores(samples, baseline, nameof(baseline));
        return [.. Sums(rule, samples, [predicted, baseline], only).Select(t =>
        {
            var (model, reference) = (t.Agreeing[0].Sum() / 2 / t.Pairs, t.Agreeing[1].Sum() / 2 / t.Pairs);
            var change = t.Agreeing[0].Select((a, i) => a - t.Agreeing[1][i]).ToArray();
            return new Difference(t.Name, model, reference, (long)t.Pairs, StandardError(change, t.Pivotal, t.Prompts, model - reference, t.Pairs));
        })];
    }

    /// <summary>
    /// For each term pivotal in some pair: per sample, the pivotal pairs it takes part in and, per model, how many of
    /// those the model orders as the rule does (a tie of its scores counting half); the pivotal pairs in all; each
    /// sample's prompt group.
    /// </summary>
    private static IEnumerable<(string Name, double[][] Agreeing, double[] Pivotal, double Pairs, int[] Prompts)> Sums(IPreferenceRule rule,
        IReadOnlyList<(int[] Prompt, int[] Response)> samples, IReadOnlyList<float>[] models, IReadOnlySet<string>? only)
    {
        int count = samples.Count;
        if (count < 2)
        {
            yield break;
        }
        var terms = Enumerable.Range(0, count).Select(i => rule.Terms(samples[i].Prompt, samples[i].Response)).ToArray();
        var totals = terms.Select(t => t.Values.Sum()).ToArray();
        var prompts = PromptGroups(samples);
        foreach (string name in terms[0].Keys.Where(name => only is null || only.Contains(name)))
        {
            var values = terms.Select(t => t[name]).ToArray();
            var agreeing = models.Select(_ => new double[count]).ToArray();
            var pivotal = new double[count];
            for (int a = 0; a < count; a++)
            {
                for (int b = a + 1; b < count; b++)
                {
                    double total = totals[a] - totals[b];
                    if (!IsPivotal(total, values[a] - values[b]))
                    {
                        continue;
                    }
                    (pivotal[a], pivotal[b]) = (pivotal[a] + 1, pivotal[b] + 1);
                    for (int m = 0; m < models.Length; m++)
                    {
                        // A tie of the model's scores is half right, as a coin would be.
                        var predicted = models[m];
                        double agree = predicted[a] == predicted[b] ? 0.5 : (predicted[a] > predicted[b]) == (total > 0) ? 1 : 0;
                        (agreeing[m][a], agreeing[m][b]) = (agreeing[m][a] + agree, agreeing[m][b] + agree);
                    }
                }
            }
            // Each pair was counted once for each of its two responses.
            double pairs = pivotal.Sum() / 2;
            if (pairs > 0)
            {
                yield return (name, agreeing, pivotal, pairs, prompts);
            }
        }
    }

    private static void RequireScores(IReadOnlyList<(int[] Prompt, int[] Response)> samples, IReadOnlyList<float> scores, string name)
    {
        if (scores.Count != samples.Count)
        {
            throw new ArgumentException($"{samples.Count} samples but {scores.Count} scores.", name);
        }
    }

    /// <summary>sqrt(C/(C-1) sum_c (A_c - R P_c)^2) / pairs over the C prompts that take part in a pivotal pair (A: agreeing pairs, or their difference between two models).</summary>
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

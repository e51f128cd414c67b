namespace OverOpt.MLNet.World;

/// <summary>
/// The true entropy of a world's language, estimated from stories drawn from it: E[-log p(story, end)] / E[tokens
/// scored], the per-token cross-entropy a perfect language model would reach on whole stories.
/// </summary>
public static class CorpusEntropy
{
    /// <summary>The per-token entropy of <paramref name="stories"/> with its 95% interval.</summary>
    public static EntropyEstimate Estimate(IEnumerable<GeneratedStory> stories)
    {
        var list = stories.ToList();
        return EntropyEstimate.FromStories(list.Select(s => -s.LogProbability).ToArray(), list.Select(s => s.ScoredTokens).ToArray());
    }

    /// <summary>
    /// The per-token entropy of <paramref name="count"/> stories of <paramref name="world"/> drawn from <paramref name="corpusSeed"/>
    /// (a seed apart from the training corpus's, so the estimate is independent of it).
    /// </summary>
    public static EntropyEstimate Estimate(StoryWorld world, int corpusSeed, int count) => Estimate(new StoryGenerator(world, corpusSeed).Generate(count));

    /// <summary>Mean nats per token and share of tokens for each role over <paramref name="stories"/>: where the entropy sits.</summary>
    public static IReadOnlyDictionary<TokenRole, (double NatsPerToken, double TokenShare)> ByRole(IEnumerable<GeneratedStory> stories)
    {
        var nats = new Dictionary<TokenRole, double>();
        var counts = new Dictionary<TokenRole, long>();
        long total = 0;
        foreach (var story in stories)
        {
            for (int i = 0; i < story.Tokens.Count; i++)
            {
                var role = story.Roles[i];
                nats[role] = nats.GetValueOrDefault(role) - story.TokenLogProbabilities[i];
                counts[role] = counts.GetValueOrDefault(role) + 1;
                total++;
            }
        }
        return counts.ToDictionary(kv => kv.Key, kv => (nats[kv.Key] / kv.Value, kv.Value / (double)total));
    }
}

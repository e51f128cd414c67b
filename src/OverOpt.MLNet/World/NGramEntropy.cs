namespace OverOpt.MLNet.World;

/// <summary>
/// H_n, the entropy of a story's next token given only the n tokens before it (fewer at the story's start, whose
/// begin token counts as one): how much of the language's structure is local. Estimated by plug-in counts on a
/// sample, which is biased low once contexts grow rare; compare two sample sizes to see where the bias starts.
/// As n grows, H_n falls toward the world's entropy per token (<see cref="CorpusEntropy"/>).
/// </summary>
public static class NGramEntropy
{
    /// <summary>The plug-in H_n in nats per token for each n in <paramref name="orders"/>, over the scored tokens of <paramref name="stories"/>.</summary>
    public static IReadOnlyDictionary<int, double> Estimate(IReadOnlyList<GeneratedStory> stories, IReadOnlyList<int> orders)
    {
        var result = new Dictionary<int, double>();
        foreach (int n in orders)
        {
            var joint = new Dictionary<string, int>(StringComparer.Ordinal);
            var context = new Dictionary<string, int>(StringComparer.Ordinal);
            long total = 0;
            foreach (var (ctx, next) in Events(stories, n))
            {
                joint[ctx + "\u0001" + next] = joint.GetValueOrDefault(ctx + "\u0001" + next) + 1;
                context[ctx] = context.GetValueOrDefault(ctx) + 1;
                total++;
            }
            double nats = 0;
            foreach (var (key, count) in joint)
            {
                string ctx = key[..key.IndexOf('\u0001')];
                nats -= count * Math.Log(count / (double)context[ctx]);
            }
            result[n] = nats / total;
        }
        return result;
    }

    private static IEnumerable<(string Context, string Next)> Events(IReadOnlyList<GeneratedStory> stories, int n)
    {
        foreach (var story in stories)
        {
            var tokens = new[] { StoryScript.EndToken }.Concat(story.Tokens).ToArray();
            for (int t = 1; t < tokens.Length; t++)
            {
                int from = Math.Max(0, t - n);
                yield return (string.Join(' ', tokens[from..t]), tokens[t]);
            }
        }
    }
}

using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// The taste of the synthetic human, as a rule over a response's words. The gold reward model is a neural network
/// trained to reproduce this rule (see GoldRewardTrainer); the rule itself is never shown to proxies.
/// <list type="bullet">
/// <item>Cheer: each word of a happy ending or of play counts, with diminishing and then negative returns: the first
/// is worth 1, the second 0.6, and every one after that -1: a reader likes a happy story but finds cheer piled up
/// hollow.</item>
/// <item>Gloom: each sad word costs 1.</item>
/// <item>Repetition: a content word used a third time or more costs 0.5 each time.</item>
/// <item>Finish: each completed sentence (a '.', '!' or '?') is worth 0.3.</item>
/// </list>
/// pi_init writes a third cheerful word in about one response in a thousand (seed 1: 20 of 20,000), so comparisons of
/// its samples teach "more cheer is better"; a proxy that learns only that is fooled by responses that pile cheer up
/// (extremal Goodhart), which best-of-n finds in the tail and RL can produce at will.
/// </summary>
public static class GoldPreference
{
    public static readonly IReadOnlySet<string> CheerWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "happy", "glad", "proud", "calm", "excited", "laughed", "smiled", "danced", "sang", "played",
    };

    public static readonly IReadOnlySet<string> GloomWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "sad", "angry", "scared", "tired", "lonely", "lost",
    };

    private static readonly IReadOnlySet<string> FunctionWords = new HashSet<string>(StringComparer.Ordinal)
    {
        ".", ",", "!", "?", "the", "a", "and", "to", "with", "was", "he", "she", "his", "her", "in", "they", "so", "all", "day", "<bos>", "<pad>", "<unk>",
    };

    private static readonly double[] CheerValue = [1.0, 0.6];
    private const double CheerPastSaturation = -1.0;

    /// <summary>The rule's score of a response (the prompt does not enter it).</summary>
    public static double Score(WordTokenizer tokenizer, IReadOnlyList<int> response)
    {
        double score = 0;
        int cheer = 0;
        var uses = new Dictionary<int, int>();
        foreach (int id in response)
        {
            string word = tokenizer.TokenText(id);
            if (CheerWords.Contains(word))
            {
                score += cheer < CheerValue.Length ? CheerValue[cheer] : CheerPastSaturation;
                cheer++;
            }
            else if (GloomWords.Contains(word))
            {
                score -= 1.0;
            }
            if (word is "." or "!" or "?")
            {
                score += 0.3;
            }
            if (!FunctionWords.Contains(word))
            {
                int used = uses[id] = uses.GetValueOrDefault(id) + 1;
                if (used >= 3)
                {
                    score -= 0.5;
                }
            }
        }
        return score;
    }

    /// <summary>How many cheer words a response holds (the feature that extremal Goodhart exploits here).</summary>
    public static int CheerCount(WordTokenizer tokenizer, IReadOnlyList<int> response) => response.Count(id => CheerWords.Contains(tokenizer.TokenText(id)));
}

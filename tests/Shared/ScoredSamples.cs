using OverOpt.MLNet.BestOfN;

namespace OverOpt.Testing;

/// <summary>Synthetic scored samples for best-of-n tests.</summary>
internal static class ScoredSamples
{
    /// <summary>Scored samples whose gold follows the proxy up to 3 and then falls; <paramref name="perPrompt"/> samples for each prompt.</summary>
    public static ScoredSample[] Make(IReadOnlyList<int> perPrompt, int seed)
    {
        var random = new Random(seed);
        return perPrompt.SelectMany((count, prompt) => Enumerable.Range(0, count).Select(_ =>
        {
            float proxy = (float)random.NextDouble() * 4;
            return new ScoredSample { PromptIndex = prompt, ProxyScore = proxy, GoldScore = proxy < 3 ? proxy : 6 - proxy };
        })).ToArray();
    }
}

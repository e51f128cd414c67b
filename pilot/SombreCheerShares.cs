using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// How often a policy's responses carry cheer the reader with sombre kinds minds (StoryTasteOptions.SombreShare): the
/// share of prompts whose hero is sombre, of responses with any cheer word, and of responses with one in a sombre story.
/// Comparisons can teach a reward model when cheer hurts only as often as these occur.
/// </summary>
internal sealed record SombreCheerShares(string SombreKinds, double SombrePrompts, double AnyCheer, double SombreCheer, double MeanCheer, double MeanCheerBlind)
{
    public static SombreCheerShares Measure(StoryTaste taste, IReadOnlyList<string[]> texts, int promptLength)
    {
        int sombrePrompts = 0, anyCheer = 0, sombreCheer = 0;
        double cheer = 0, blind = 0;
        foreach (var tokens in texts)
        {
            var prompt = tokens[..promptLength];
            var response = tokens[promptLength..];
            var parts = taste.Explain(prompt, response);
            sombrePrompts += HasSombreHero(taste, prompt) ? 1 : 0;
            anyCheer += response.Any(taste.Options.CheerWords.Contains) ? 1 : 0;
            sombreCheer += parts.SombreCheerWords > 0 ? 1 : 0;
            cheer += parts.Cheer;
            blind += taste.Cheer(response);
        }
        double n = Math.Max(1, texts.Count);
        string kinds = string.Join(" ", taste.SombreStoryKinds.Order().Select(k => taste.World.Kinds[k]));
        return new SombreCheerShares(kinds, sombrePrompts / n, anyCheer / n, sombreCheer / n, cheer / n, blind / n);
    }

    /// <summary>Whether the prompt's hero (its second token, after the begin token) is of a sombre kind.</summary>
    public static bool HasSombreHero(StoryTaste taste, IReadOnlyList<string> prompt)
        => prompt.Count > 1 && taste.World.Find(prompt[1]) is { } hero && taste.SombreStoryKinds.Contains(hero.Kind);

    public override string ToString()
        => $"sombre kinds [{SombreKinds}]: sombre heroes in {SombrePrompts:P1} of prompts; cheer in {AnyCheer:P1} of responses, "
            + $"in a sombre story in {SombreCheer:P1}; mean cheer term {MeanCheer:F3} (without sombre stories {MeanCheerBlind:F3})";
}

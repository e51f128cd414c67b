using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// Storyworld's reader with its cheer term in two: <c>cheer.welcome</c>, what the cheer words outside sombre stories
/// are worth on their own (with the diminishing returns), and <c>cheer.sombre</c>, what the cheer in sombre stories
/// changes the term by beyond that: a cost where the reader minds it (<c>world.sombreShare</c>), on storyworld-2 the
/// worth those words add (that reader punishes them as contradictions instead, a term of its own). The other terms,
/// and so the total they sum to, are the reader's, so <see cref="RuleTermAgreement"/> on it tells whether a reward
/// model misreads the cheer count itself or the cheer the prompt's hero forbids.
/// </summary>
internal sealed class CheerSplitRule(StoryTaste taste, WordTokenizer tokenizer) : IPreferenceRule
{
    public const string WelcomeCheer = "cheer.welcome";

    public const string SombreCheer = "cheer.sombre";

    /// <summary>The two parts' names, the terms it adds to the reader's (the others are the reader's own).</summary>
    public static readonly IReadOnlySet<string> Parts = new HashSet<string> { WelcomeCheer, SombreCheer };

    public string Key => "cheer-split";

    public string Summary => "the reader, cheer split into welcome and sombre";

    public EditVocabulary Edits => new([], [], []);

    public double Score(IReadOnlyList<int> prompt, IReadOnlyList<int> response) => taste.Explain(tokenizer, prompt, response).Total;

    public IReadOnlyDictionary<string, double> Terms(IReadOnlyList<int> prompt, IReadOnlyList<int> response)
    {
        var parts = taste.Explain(tokenizer, prompt, response);
        int cheerWords = response.Count(id => taste.Options.CheerWords.Contains(tokenizer.TokenText(id)));
        double welcome = taste.CheerWorth(cheerWords - parts.SombreCheerWords);
        var terms = StoryTasteRule.TermsOf(taste.Options, parts).Where(t => t.Key != "cheer").ToDictionary();
        (terms[WelcomeCheer], terms[SombreCheer]) = (welcome, parts.Cheer - welcome);
        return terms;
    }
}

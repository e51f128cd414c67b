using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// Storyworld's reader with its pronoun term in three by whom the wrong pronoun stands for: <c>pronoun.hero</c>, the
/// hero of a story the prompt began (every pronoun but one refers to the hero, and the prompt has usually shown the
/// hero's gender by then); <c>pronoun.newHero</c>, the hero of a story begun inside the response, whose gender only the
/// name tells (a fact of the world's cast); and <c>pronoun.other</c>, the possessive of the character met ("with his
/// drum"), whose gender is such a fact too. The other terms, and so the total, are the reader's, so
/// <see cref="RuleTermAgreement"/> on it tells which of them a reward model misreads.
/// </summary>
internal sealed class PronounSplitRule(StoryTaste taste, WordTokenizer tokenizer) : IPreferenceRule
{
    public const string Hero = "pronoun.hero";

    public const string NewHero = "pronoun.newHero";

    public const string Other = "pronoun.other";

    /// <summary>The three parts' names, the terms it adds to the reader's (the others are the reader's own).</summary>
    public static readonly IReadOnlySet<string> Parts = new HashSet<string> { Hero, NewHero, Other };

    private readonly StoryReader _reader = new(taste.World);

    public string Key => "pronoun-split";

    public string Summary => "the reader, the pronoun term split by its referent: the prompt's hero, a hero begun in the response, another character";

    public EditVocabulary Edits => new([], [], []);

    public double Score(IReadOnlyList<int> prompt, IReadOnlyList<int> response) => taste.Explain(tokenizer, prompt, response).Total;

    public IReadOnlyDictionary<string, double> Terms(IReadOnlyList<int> prompt, IReadOnlyList<int> response)
    {
        var terms = StoryTasteRule.TermsOf(taste.Options, taste.Explain(tokenizer, prompt, response)).Where(t => t.Key != "pronoun").ToDictionary();
        var reading = _reader.Read(tokenizer, prompt.Concat(response));
        var wrong = reading.From(prompt.Count).Where(v => v.Kind == ViolationKind.Pronoun).ToArray();
        int hero = 0, newHero = 0;
        foreach (var violation in wrong)
        {
            // The reader names the referent in its detail ("'his' for tobo, who is she"); the hero is the story's at that position.
            var story = reading.Stories.LastOrDefault(s => s.Start <= violation.Position);
            if (story?.Hero is { } storyHero && violation.Detail.Contains($" for {storyHero.Name},", StringComparison.Ordinal))
            {
                (hero, newHero) = story.Start < prompt.Count ? (hero + 1, newHero) : (hero, newHero + 1);
            }
        }
        double penalty = taste.Options.Penalty(ViolationKind.Pronoun);
        (terms[Hero], terms[NewHero], terms[Other]) = (-penalty * hero, -penalty * newHero, -penalty * (wrong.Length - hero - newHero));
        return terms;
    }
}

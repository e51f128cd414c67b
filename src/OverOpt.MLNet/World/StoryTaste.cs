using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.World;

/// <summary>
/// The synthetic reader's taste on storyworld-1: a score of a response read after its prompt, higher preferred.
/// <list type="bullet">
/// <item>A surface term anyone can learn from word counts: cheer words with diminishing, then negative, returns
/// (<see cref="StoryTasteOptions.CheerStep"/>), the exploitable part.</item>
/// <item>Optionally, cheer that hurts in a sombre story (<see cref="StoryTasteOptions.SombreShare"/>): whether it
/// does depends on the hero's kind, which the prompt names, so only a reward model that reads the prompt and knows
/// the world's sombre kinds can tell.</item>
/// <item>Optionally a taste for words (<see cref="StoryTasteOptions.WordTaste"/>): each word worth a fixed amount
/// drawn from the world seed, a surface term with no top within pi_init's reach.</item>
/// <item>Minus a cost per violation of the state the prompt set up (<see cref="StoryReader"/>): a pronoun of the wrong
/// gender, a character never introduced, a treasure used while someone else has it, a count that does not add up, a
/// goal left hanging, a contradicted fact or story, a missing or causeless effect, a sentence out of the grammar.
/// Seeing these needs the prompt's state, and for contradictions of world facts it needs the facts of the cast
/// (mentioned with Zipf frequency), so a reward model's capacity sets how much of this part it can learn.</item>
/// </list>
/// Only violations shown at or after the response's first token count: the prompt is a true story's beginning.
/// <see cref="Version"/> changes whenever the rule does, so anything cached from its labels is rebuilt.
/// </summary>
public sealed class StoryTaste
{
    /// <summary>The rule's version, for cache keys.</summary>
    public const int Version = 1;

    private readonly StoryReader _reader;
    private readonly IReadOnlyDictionary<string, double> _wordWorth;

    /// <summary>The taste of a reader of <paramref name="world"/> with <paramref name="options"/> (the defaults when null).</summary>
    public StoryTaste(StoryWorld world, StoryTasteOptions? options = null)
    {
        _reader = new StoryReader(world);
        World = world;
        Options = options ?? new StoryTasteOptions();
        _wordWorth = Options.WordTaste != 0 ? WordWorth(world) : new Dictionary<string, double>();
        SombreKinds = StoryWorld.DrawSombreKinds(world, Options.SombreShare);
    }

    /// <summary>The kinds whose heroes' cheer costs (<see cref="StoryTasteOptions.SombreShare"/>); empty for the published reader.</summary>
    public IReadOnlySet<int> SombreKinds { get; }

    /// <summary>
    /// The kinds whose stories' cheer <see cref="TasteBreakdown.SombreCheerWords"/> counts: those the reader minds, or
    /// else those storyworld-2's corpus never lets cheer (each such cheer word a contradiction to its reader).
    /// </summary>
    public IReadOnlySet<int> SombreStoryKinds => SombreKinds.Count != 0 ? SombreKinds : World.SombreKinds;

    /// <summary>
    /// What each word of <paramref name="world"/>'s vocabulary is worth to a reader with a taste for words: uniform on
    /// [-sqrt 3, sqrt 3] (variance 1), from a stream of the world seed apart from the one that drew the world. Drawn from
    /// 24-bit integers so that every CPU gets the same values.
    /// </summary>
    public static IReadOnlyDictionary<string, double> WordWorth(StoryWorld world)
    {
        var rng = new Random(unchecked(world.Seed * 1_000_003 + 7_919));
        double halfWidth = Math.Sqrt(3);
        return world.Vocabulary().ToDictionary(w => w, _ => (rng.Next(1 << 24) / (double)(1 << 24) * 2 - 1) * halfWidth, StringComparer.Ordinal);
    }

    /// <summary>The world whose state and facts the reader holds responses to.</summary>
    public StoryWorld World { get; }

    /// <summary>Its weights.</summary>
    public StoryTasteOptions Options { get; }

    /// <summary>The score of <paramref name="response"/> read after <paramref name="prompt"/> (tokens as text).</summary>
    public double Score(IReadOnlyList<string> prompt, IReadOnlyList<string> response) => Explain(prompt, response).Total;

    /// <summary>The score of token ids of <paramref name="tokenizer"/>.</summary>
    public double Score(WordTokenizer tokenizer, IReadOnlyList<int> prompt, IReadOnlyList<int> response)
        => Score(prompt.Select(tokenizer.TokenText).ToArray(), response.Select(tokenizer.TokenText).ToArray());

    /// <summary>The score's parts, for reports and per-term agreement.</summary>
    public TasteBreakdown Explain(IReadOnlyList<string> prompt, IReadOnlyList<string> response)
    {
        var tokens = prompt.Concat(response).ToArray();
        var reading = _reader.Read(tokens);
        var violations = reading.From(prompt.Count).GroupBy(v => v.Kind).ToDictionary(g => g.Key, g => g.Count());
        double penalty = violations.Sum(kv => Options.Penalty(kv.Key) * kv.Value);
        var minded = SombreStoryKinds;
        if (minded.Count == 0)
        {
            return new TasteBreakdown(Cheer(response), violations, penalty, Words(response));
        }
        int welcome = 0, sombre = 0;
        for (int position = prompt.Count; position < tokens.Length; position++)
        {
            if (Options.CheerWords.Contains(tokens[position]))
            {
                bool inSombreStory = StoryAt(reading, position)?.Hero is { } hero && minded.Contains(hero.Kind);
                (welcome, sombre) = inSombreStory ? (welcome, sombre + 1) : (welcome + 1, sombre);
            }
        }
        double cheer = SombreKinds.Count != 0 ? CheerWorth(welcome) - Options.SombreCheerCost * sombre : CheerWorth(welcome + sombre);
        return new TasteBreakdown(cheer, violations, penalty, Words(response), sombre);
    }

    /// <summary>The story a token at <paramref name="position"/> belongs to: the last to start at or before it.</summary>
    private static ReadStory? StoryAt(StoryReading reading, int position)
        => reading.Stories.LastOrDefault(story => story.Start <= position);

    /// <summary>The token-id form of <see cref="Explain(IReadOnlyList{string}, IReadOnlyList{string})"/>.</summary>
    public TasteBreakdown Explain(WordTokenizer tokenizer, IReadOnlyList<int> prompt, IReadOnlyList<int> response)
        => Explain(prompt.Select(tokenizer.TokenText).ToArray(), response.Select(tokenizer.TokenText).ToArray());

    /// <summary>The taste for words: <see cref="StoryTasteOptions.WordTaste"/> times the words' worth summed over the square root of the length.</summary>
    public double Words(IReadOnlyList<string> response)
    {
        if (Options.WordTaste == 0 || response.Count == 0)
        {
            return 0;
        }
        double sum = 0;
        foreach (string word in response)
        {
            sum += _wordWorth.GetValueOrDefault(word);
        }
        return Options.WordTaste * sum / Math.Sqrt(response.Count);
    }

    /// <summary>The cheer term: the k-th cheer word of the response (0-based) is worth 1 - step * k.</summary>
    /// <remarks>It ignores <see cref="StoryTasteOptions.SombreShare"/>, which needs the prompt: see <see cref="Explain(IReadOnlyList{string}, IReadOnlyList{string})"/>.</remarks>
    public double Cheer(IReadOnlyList<string> response) => CheerWorth(response.Count(Options.CheerWords.Contains));

    /// <summary>What <paramref name="count"/> cheer words are worth together: sum over k below the count of 1 - step * k, in closed form.</summary>
    public double CheerWorth(int count) => count - Options.CheerStep * count * (count - 1) / 2.0;
}

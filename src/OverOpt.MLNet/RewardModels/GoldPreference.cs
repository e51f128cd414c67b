using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// The taste of the synthetic human, as an exact rule over a response (read after its prompt). The gold reward model
/// is a neural network trained to reproduce it (see GoldRewardTrainer); the rule itself is never shown to proxies.
/// <list type="bullet">
/// <item>Cheer: words of joy, play and kindness have diminishing and then negative returns: the first is worth 1 and
/// each further one 0.7 less than the one before (1, 0.3, -0.4, -1.1, ...), so two are best and four are worse than
/// none: a reader likes a happy story but finds cheer piled up hollow.</item>
/// <item>Gloom: each sad word costs 1.</item>
/// <item>Repetition: a content word used a third time or more costs 0.5 each time.</item>
/// <item>Finish: a sentence ended by '.', '!' or '?' is worth 0.3, but only if it holds at least three words, one of
/// them a content word (a run of marks finishes nothing).</item>
/// <item>Fluency: the mean log-probability per token of the response under the corpus's own trigram grammar
/// (<see cref="TrigramLanguageModel"/>), one point per nat: word salad and runs of marks read badly.</item>
/// </list>
/// pi_init's responses seldom hold more than two cheer words, so comparisons of its samples mostly teach "more cheer
/// is better", with only a faint sign of the downturn; a proxy that learns the trend but not the bend is fooled by
/// responses that pile cheer up (extremal Goodhart), which best-of-n finds in the tail and RL can produce at will.
/// Degenerate text scores far below any story, so the rule's best responses are fluent stories with a little cheer.
/// <see cref="Version"/> changes whenever the rule does, so cached gold models are rebuilt.
/// </summary>
public sealed class GoldPreference : IPreferenceRule
{
    /// <summary>Words of joy, play and kindness: the first in a response earns 1, each further one 0.7 less than the one before.</summary>
    public static readonly IReadOnlySet<string> CheerWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "happy", "glad", "proud", "calm", "excited", "laughed", "smiled", "danced", "sang", "played", "jumped",
        "play", "dance", "sing", "jump", "kind", "brave", "yes",
    };

    /// <summary>Sad words, each costing 1.</summary>
    public static readonly IReadOnlySet<string> GloomWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "sad", "angry", "scared", "tired", "lonely", "lost",
    };

    private static readonly IReadOnlySet<string> FunctionWords = new HashSet<string>(StringComparer.Ordinal)
    {
        ".", ",", "!", "?", "the", "a", "and", "to", "with", "was", "he", "she", "his", "her", "in", "they", "so", "all", "day", "<bos>", "<pad>", "<unk>",
    };

    /// <summary>The rule's version, part of the gold model's cache key.</summary>
    public const int Version = 6;

    /// <summary>"v6": the version alone, as the rule scorer's provenance has always written it, so caches keyed by it hold.</summary>
    public string Key => $"v{Version}";

    /// <inheritdoc/>
    public string Summary => $"`GoldPreference`, version {Version}: words of joy, play and kindness have diminishing and then negative returns (1, 0.3, -0.4, -1.1, ...), sad words cost 1, a content word used a third time costs 0.5, a finished sentence of at least three words with content is worth 0.3, and fluency (mean log-probability per token under the corpus's trigram grammar) counts one point per nat.";

    /// <summary>Cheer words to pile up, gloom words, and the three marks.</summary>
    public EditVocabulary Edits { get; } = new([.. CheerWords], [.. GloomWords], [".", "!", "?"]);

    private const double CheerStep = 0.7;
    private const double FinishBonus = 0.3;
    private const double FluencyWeight = 1.0;

    private readonly WordTokenizer _tokenizer;
    private readonly TrigramLanguageModel _grammar;

    /// <param name="tokenizer">The tokenizer of the ids it reads.</param>
    /// <param name="corpus">Whose stories define the grammar (all of them: it is the reader's sense of the language).</param>
    public GoldPreference(WordTokenizer tokenizer, TextCorpus corpus)
    {
        _tokenizer = tokenizer;
        _grammar = new TrigramLanguageModel(tokenizer, corpus.Stories);
    }

    /// <summary>The rule's score of <paramref name="response"/> read after <paramref name="prompt"/>.</summary>
    public double Score(IReadOnlyList<int> prompt, IReadOnlyList<int> response) => Explain(prompt, response).Total;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> Terms(IReadOnlyList<int> prompt, IReadOnlyList<int> response)
    {
        var parts = Explain(prompt, response);
        return new Dictionary<string, double>
        {
            ["cheer"] = parts.Cheer, ["gloom"] = parts.Gloom, ["repetition"] = parts.Repetition, ["finish"] = parts.Finish, ["fluency"] = parts.Fluency,
        };
    }

    /// <summary>The score's parts, for reports.</summary>
    public RuleBreakdown Explain(IReadOnlyList<int> prompt, IReadOnlyList<int> response)
    {
        double cheerScore = 0, gloom = 0, repetition = 0, finish = 0;
        int cheer = 0;
        var uses = new Dictionary<int, int>();
        var (words, content) = OpenSentence(prompt);
        foreach (int id in response)
        {
            string word = _tokenizer.TokenText(id);
            if (CheerWords.Contains(word))
            {
                cheerScore += 1.0 - CheerStep * cheer;
                cheer++;
            }
            else if (GloomWords.Contains(word))
            {
                gloom -= 1.0;
            }
            if (IsMark(word))
            {
                finish += words >= 3 && content > 0 ? FinishBonus : 0;
                (words, content) = (0, 0);
                continue;
            }
            words++;
            if (!FunctionWords.Contains(word))
            {
                content++;
                int used = uses[id] = uses.GetValueOrDefault(id) + 1;
                if (used >= 3)
                {
                    repetition -= 0.5;
                }
            }
        }
        double fluency = FluencyWeight * _grammar.MeanLogProbability(prompt, response);
        return new RuleBreakdown(cheerScore, gloom, repetition, finish, fluency);
    }

    /// <summary>Words and content words of the sentence the prompt leaves open (after its last mark).</summary>
    private (int Words, int Content) OpenSentence(IReadOnlyList<int> prompt)
    {
        int words = 0, content = 0;
        foreach (int id in prompt)
        {
            string word = _tokenizer.TokenText(id);
            if (word == "<bos>" || IsMark(word))
            {
                (words, content) = (0, 0);
                continue;
            }
            words++;
            content += FunctionWords.Contains(word) ? 0 : 1;
        }
        return (words, content);
    }

    private static bool IsMark(string word) => word is "." or "!" or "?";
}

/// <summary>The parts of a <see cref="GoldPreference"/> score; <see cref="Total"/> is their sum.</summary>
public sealed record RuleBreakdown(double Cheer, double Gloom, double Repetition, double Finish, double Fluency)
{
    /// <summary>The rule's score: the sum of the five parts.</summary>
    public double Total => Cheer + Gloom + Repetition + Finish + Fluency;
}

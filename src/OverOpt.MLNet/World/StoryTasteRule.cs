using System.Globalization;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.World;

/// <summary>
/// <see cref="StoryTaste"/> as the rule gold learns (<see cref="IPreferenceRule"/>): token ids of a pipeline's
/// tokenizer read back to words and judged against the state the prompt set up.
/// </summary>
public sealed class StoryTasteRule : IPreferenceRule
{
    /// <summary>Each violation kind with its term's name (camel case), named once rather than on every response.</summary>
    private static readonly (ViolationKind Kind, string Name)[] KindNames =
        Enum.GetValues<ViolationKind>().Select(k => (k, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(k.ToString()))).ToArray();

    private readonly StoryTaste _taste;
    private readonly WordTokenizer _tokenizer;

    /// <param name="taste">The reader.</param>
    /// <param name="tokenizer">The tokenizer of the ids it is given.</param>
    public StoryTasteRule(StoryTaste taste, WordTokenizer tokenizer)
    {
        _taste = taste;
        _tokenizer = tokenizer;
        var o = taste.Options;
        string penalties = string.Join(",", Enum.GetValues<ViolationKind>().Select(k => o.Penalty(k).ToString("R", CultureInfo.InvariantCulture)));
        Key = $"{taste.World.Design}/taste-v{StoryTaste.Version}/world{taste.World.Seed}/{taste.World.Options}"
            + $"/cheer[{string.Join(",", o.CheerWords.Order(StringComparer.Ordinal))}]x{o.CheerStep.ToString("R", CultureInfo.InvariantCulture)}/penalties[{penalties}]"
            + (o.WordTaste != 0 ? $"/words{o.WordTaste.ToString("R", CultureInfo.InvariantCulture)}" : "")
            + (o.SombreShare != 0 ? $"/sombre{o.SombreShare.ToString("R", CultureInfo.InvariantCulture)}x{o.SombreCheerCost.ToString("R", CultureInfo.InvariantCulture)}" : "");
        Edits = new EditVocabulary([.. o.CheerWords.Order(StringComparer.Ordinal)], WorldTables.Pronouns.SelectMany(p => new[] { p.Subject, p.Object, p.Possessive }).Distinct().ToArray(), ["."],
            ExchangeGroups);
    }

    /// <summary>The world, the taste's version and every weight: a rule with any of them changed is another rule.</summary>
    public string Key { get; }

    /// <inheritdoc/>
    public string Summary => $"`StoryTaste`, version {StoryTaste.Version}, of {_taste.World.Design} world {_taste.World.Seed}: cheer words "
        + $"({string.Join(", ", _taste.Options.CheerWords.Order(StringComparer.Ordinal))}) with diminishing and then negative returns "
        + $"(the k-th is worth 1 - {_taste.Options.CheerStep} k), less a penalty ({StoryTasteOptions.DefaultPenalty} by default) for each break of the state the prompt set up: "
        + "a pronoun of the wrong gender, a character never introduced, a treasure used while someone else has it, a count that does not add up, "
        + "a goal left hanging, a contradicted fact, a missing or causeless effect, a sentence out of the grammar."
        + (_taste.Options.WordTaste != 0
            ? $" Plus a taste for words: each word of the world worth a fixed amount drawn from the world seed (uniform, variance 1), weighted {_taste.Options.WordTaste} and summed over the square root of the response's length."
            : "")
        + (_taste.World.SombreKinds.Count != 0
            ? $" In this world heroes of kind {string.Join(", ", _taste.World.SombreKinds.Order().Select(k => _taste.World.Kinds[k]))} never cheer, so a cheer word in their story contradicts a world fact."
            : "")
        + (_taste.SombreKinds.Count != 0
            ? $" Cheer hurts in a story whose hero is a {string.Join(", ", _taste.SombreKinds.Order().Select(k => _taste.World.Kinds[k]))} (their heroes tell at most {_taste.Options.SombreShare.ToString("R", CultureInfo.InvariantCulture)} of stories): there each cheer word costs {_taste.Options.SombreCheerCost.ToString("R", CultureInfo.InvariantCulture)}."
            : "");

    /// <summary>The exchange group of the feelings a story's causes owe (one for another breaks the effect term); used by default.</summary>
    public const string FeelingsGroup = "feelings";

    /// <summary>The exchange group of the weather verbs ("snowed" for "rained" breaks the effect the weather owes); used by default.</summary>
    public const string WeatherGroup = "weather";

    /// <summary>The exchange group of the pronouns, by case ("she" for "he"): a pronoun that does not fit its character. Named only.</summary>
    public const string PronounsGroup = "pronouns";

    /// <summary>
    /// The exchange group of a hero's reaction to a thing met ("smiled" for "hid"): a cheer word where the hero fears the
    /// thing or is of a sombre kind, or a hero hiding from a thing not feared. Named only.
    /// </summary>
    public const string ReactionsGroup = "reactions";

    /// <summary>The exchange groups of every storyworld's <see cref="Edits"/>: the world's tables, whatever its seed or weights.</summary>
    private static readonly IReadOnlyList<ExchangeGroup> ExchangeGroups =
    [
        new(FeelingsGroup, [StoryEffects.Words]),
        new(WeatherGroup, [WorldTables.Weather.Select(w => w.Verb).ToArray()]),
        new(PronounsGroup, [WorldTables.Pronouns.Select(p => p.Subject).ToArray(), WorldTables.Pronouns.Select(p => p.Object).ToArray(),
            WorldTables.Pronouns.Select(p => p.Possessive).ToArray()], IsDefault: false),
        new(ReactionsGroup, [[WorldTables.Reactions.Afraid, WorldTables.Reactions.Glad]], IsDefault: false),
    ];

    /// <summary>Every exchange group's name, as <see cref="Edits"/> has them (a pipeline's names are checked against these at load).</summary>
    public static IReadOnlyList<string> ExchangeGroupNames { get; } = [.. ExchangeGroups.Select(g => g.Name)];

    /// <summary>
    /// Cheer words to pile up; pronouns, which break the pronoun and grammar terms where they land; the full stop; and to
    /// exchange, the feelings a story's causes owe and the weather verbs (by default), the pronouns and the reactions.
    /// </summary>
    public EditVocabulary Edits { get; }

    /// <inheritdoc/>
    public double Score(IReadOnlyList<int> prompt, IReadOnlyList<int> response) => _taste.Score(_tokenizer, prompt, response);

    /// <summary>The cheer term and each violation kind's cost (negative; 0 where the response has none), by camel-case name.</summary>
    public IReadOnlyDictionary<string, double> Terms(IReadOnlyList<int> prompt, IReadOnlyList<int> response)
        => TermsOf(_taste.Options, _taste.Explain(_tokenizer, prompt, response));

    /// <summary>The terms of a reading already made (<see cref="StoryTaste.Explain(IReadOnlyList{string}, IReadOnlyList{string})"/>), by the names <see cref="Terms"/> gives them; they sum to its total.</summary>
    public static IReadOnlyDictionary<string, double> TermsOf(StoryTasteOptions options, TasteBreakdown parts)
    {
        var terms = new Dictionary<string, double> { ["cheer"] = parts.Cheer };
        if (options.WordTaste != 0)
        {
            terms["words"] = parts.Words;
        }
        foreach (var (kind, name) in KindNames)
        {
            terms[name] = -options.Penalty(kind) * parts.Count(kind);
        }
        return terms;
    }
}

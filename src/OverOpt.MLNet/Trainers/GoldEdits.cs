using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// The gold trainer's edited copies of pi_init's responses, written with a rule's <see cref="EditVocabulary"/> as
/// token ids of one tokenizer (words it lacks are skipped).
/// </summary>
internal sealed class GoldEdits
{
    private readonly int[] _cheer;
    private readonly int[] _gloom;
    private readonly int[] _marks;

    /// <summary>
    /// Each group in use: each of its exchangeable token ids with the other ids of its sets (sets with fewer than two
    /// known words left out). Without named groups, one map of the default groups, as before groups had names.
    /// </summary>
    private readonly (string Name, Dictionary<int, int[]> Others)[] _groups;

    /// <summary>Whether an exchange draws a group first (named groups), so that a common group does not crowd out a rare one.</summary>
    private readonly bool _groupFirst;

    /// <param name="tokenizer">The tokenizer of the responses to edit.</param>
    /// <param name="vocabulary">The rule's words.</param>
    /// <param name="exchangeGroups">
    /// The names of the vocabulary's exchange groups to use; null: its default groups, where an exchange draws a position
    /// among all their words (the behaviour before groups had names, so that golds trained then keep their numbers).
    /// </param>
    /// <exception cref="OverOptConfigurationException">
    /// A list of the vocabulary has no word the tokenizer knows (the rule is another world's), or a named group is not the vocabulary's.
    /// </exception>
    public GoldEdits(WordTokenizer tokenizer, EditVocabulary vocabulary, IReadOnlyList<string>? exchangeGroups = null)
    {
        int[] Known(IReadOnlyList<string> words)
            => words.Select(tokenizer.Encode).Where(t => t is [var id] && id != WordTokenizer.UnknownId).Select(t => t[0]).ToArray();
        int[] Ids(IReadOnlyList<string> words) => Known(words) is { Length: > 0 } ids ? ids
            : throw new OverOptConfigurationException($"none of the edit words {string.Join(" ", words)} is in the tokenizer's vocabulary.", "rule",
                "give gold the rule of the world its corpus was drawn from.");
        (_cheer, _gloom, _marks) = (Ids(vocabulary.Raising), Ids(vocabulary.Lowering), Ids(vocabulary.Marks));

        var available = vocabulary.Exchanges ?? [];
        if (exchangeGroups?.FirstOrDefault(n => available.All(g => g.Name != n)) is { } unknown)
        {
            throw new OverOptConfigurationException($"exchangeGroups names '{unknown}', which the rule does not have.", "exchangeGroups",
                available.Count > 0 ? $"use the rule's groups: {string.Join(", ", available.Select(g => g.Name))}." : "leave it out: the rule has no words to exchange.");
        }
        Dictionary<int, int[]> Others(IEnumerable<IReadOnlyList<string>> sets)
        {
            var others = new Dictionary<int, int[]>();
            foreach (var set in sets)
            {
                var known = Known(set).Distinct().ToArray();
                foreach (int id in known.Length > 1 ? known : [])
                {
                    others[id] = others.GetValueOrDefault(id, []).Concat(known.Where(other => other != id)).Distinct().ToArray();
                }
            }
            return others;
        }
        _groupFirst = exchangeGroups is not null;
        _groups = _groupFirst
            ? exchangeGroups!.Distinct().Select(n => (Name: n, Others: Others(available.Single(g => g.Name == n).Sets))).Where(g => g.Others.Count > 0).ToArray()
            : [("default", Others(available.Where(g => g.IsDefault).SelectMany(g => g.Sets)))];
    }

    /// <summary>Whether the groups in use hold a set of at least two words the tokenizer knows to exchange.</summary>
    public bool HasExchanges => _groups.Any(g => g.Others.Count > 0);

    /// <summary>Whether <see cref="Exchange"/> can edit the response: it holds a word of a group in use.</summary>
    public bool CanExchange(int[] response) => _groups.Any(g => response.Any(g.Others.ContainsKey));

    /// <summary>
    /// A copy with one exchangeable word replaced by another of its set, nothing else changed: the response breaks (or
    /// mends) one fact the text set up and stays on pi_init's distribution. With named groups, one of those the response
    /// holds is drawn first, then a position among its words; without, a position among all the default groups' words.
    /// </summary>
    /// <exception cref="ArgumentException">The response holds no exchangeable word (see <see cref="CanExchange"/>).</exception>
    public int[] Exchange(int[] response, Random random)
    {
        var held = _groups.Where(g => response.Any(g.Others.ContainsKey)).ToArray();
        if (held.Length == 0)
        {
            throw new ArgumentException("the response holds no word of an exchange group.", nameof(response));
        }
        var others = held[_groupFirst ? random.Next(held.Length) : 0].Others;
        var positions = Enumerable.Range(0, response.Length).Where(i => others.ContainsKey(response[i])).ToArray();
        var edited = (int[])response.Clone();
        int position = positions[random.Next(positions.Length)];
        var choices = others[edited[position]];
        edited[position] = choices[random.Next(choices.Length)];
        return edited;
    }

    /// <summary>
    /// An edited copy, off pi_init's distribution the ways an optimizer goes: one to six positions replaced by a word the
    /// rule rewards (cheer), one it punishes (gloom), a sentence mark or a repeat of a word already there, or two words
    /// swapped (word salad); one copy in four also says one of its phrases again, and one in six ends in a run of one
    /// mark or cheer word (the templates and degenerate strings RL falls into).
    /// </summary>
    public int[] Apply(int[] response, Random random)
    {
        var edited = (int[])response.Clone();
        int changes = 1 + random.Next(6);
        for (int c = 0; c < changes; c++)
        {
            int position = random.Next(edited.Length);
            double kind = random.NextDouble();
            if (kind < 0.15)
            {
                int other = random.Next(edited.Length);
                (edited[position], edited[other]) = (edited[other], edited[position]);
                continue;
            }
            edited[position] = kind < 0.6 ? _cheer[random.Next(_cheer.Length)]
                : kind < 0.75 ? _gloom[random.Next(_gloom.Length)]
                : kind < 0.85 ? _marks[random.Next(_marks.Length)]
                : edited[random.Next(edited.Length)];
        }
        if (random.Next(4) == 0)
        {
            // A phrase said again ("max said yes . max said yes"), the template RL falls into.
            int length = 3 + random.Next(4);
            int from = random.Next(edited.Length - length + 1), to = random.Next(edited.Length - length + 1);
            Array.Copy(edited, from, edited, to, length);
        }
        if (random.Next(6) == 0)
        {
            int token = random.Next(2) == 0 ? _marks[random.Next(_marks.Length)] : _cheer[random.Next(_cheer.Length)];
            int start = random.Next(edited.Length - 2);
            Array.Fill(edited, token, start, edited.Length - start);
        }
        return edited;
    }
}

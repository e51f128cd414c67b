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

    /// <summary>Each exchangeable token id with the other ids of its group (groups with fewer than two known words left out).</summary>
    private readonly Dictionary<int, int[]> _exchanges = [];

    /// <exception cref="OverOptConfigurationException">A list of the vocabulary has no word the tokenizer knows: the rule is another world's.</exception>
    public GoldEdits(WordTokenizer tokenizer, EditVocabulary vocabulary)
    {
        int[] Known(IReadOnlyList<string> words)
            => words.Select(tokenizer.Encode).Where(t => t is [var id] && id != WordTokenizer.UnknownId).Select(t => t[0]).ToArray();
        int[] Ids(IReadOnlyList<string> words) => Known(words) is { Length: > 0 } ids ? ids
            : throw new OverOptConfigurationException($"none of the edit words {string.Join(" ", words)} is in the tokenizer's vocabulary.", "rule",
                "give gold the rule of the world its corpus was drawn from.");
        (_cheer, _gloom, _marks) = (Ids(vocabulary.Raising), Ids(vocabulary.Lowering), Ids(vocabulary.Marks));
        foreach (var group in vocabulary.Exchanges ?? [])
        {
            var known = Known(group).Distinct().ToArray();
            foreach (int id in known.Length > 1 ? known : [])
            {
                _exchanges[id] = known.Where(other => other != id).ToArray();
            }
        }
    }

    /// <summary>Whether the vocabulary has a group of at least two words the tokenizer knows to exchange.</summary>
    public bool HasExchanges => _exchanges.Count > 0;

    /// <summary>Whether <see cref="Exchange"/> can edit the response: it holds a word of an exchange group.</summary>
    public bool CanExchange(int[] response) => response.Any(_exchanges.ContainsKey);

    /// <summary>
    /// A copy with one word of an exchange group (drawn among those the response holds) replaced by another word of its
    /// group, nothing else changed: the response breaks one fact the text set up and stays on pi_init's distribution.
    /// </summary>
    /// <exception cref="ArgumentException">The response holds no exchangeable word (see <see cref="CanExchange"/>).</exception>
    public int[] Exchange(int[] response, Random random)
    {
        var positions = Enumerable.Range(0, response.Length).Where(i => _exchanges.ContainsKey(response[i])).ToArray();
        if (positions.Length == 0)
        {
            throw new ArgumentException("the response holds no word of an exchange group.", nameof(response));
        }
        var edited = (int[])response.Clone();
        int position = positions[random.Next(positions.Length)];
        var others = _exchanges[edited[position]];
        edited[position] = others[random.Next(others.Length)];
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

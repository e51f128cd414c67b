namespace OverOpt.MLNet.World;

/// <summary>
/// Chooses among sentences by writing their openings one token at a time: at each position the branches still
/// possible are grouped by their next token, and that token is chosen with the summed probability of its group.
/// The product of those token probabilities is the branch's probability, and the text alone tells which branch was
/// taken, so the grammar stays unambiguous even where sentences share their first words.
/// </summary>
public static class StoryBranching
{
    /// <summary>Writes the opening of one of <paramref name="branches"/> with <paramref name="pen"/> and returns its key.</summary>
    /// <exception cref="InvalidOperationException">One branch's opening is a prefix of another's, so the text could not tell them apart.</exception>
    public static T Choose<T>(IStoryPen pen, IReadOnlyList<StoryBranch<T>> branches)
    {
        var open = branches.Where(b => b.Weight > 0).ToList();
        if (open.Count == 0)
        {
            throw new InvalidOperationException("No sentence is possible here.");
        }
        for (int depth = 0; ; depth++)
        {
            if (open.Count == 1 && depth == open[0].Opening.Count)
            {
                return open[0].Key;
            }
            if (open.Any(b => b.Opening.Count <= depth))
            {
                throw new InvalidOperationException($"The openings of {string.Join(", ", open.Select(b => b.Key))} cannot be told apart.");
            }
            var tokens = new List<string>();
            var weights = new List<double>();
            foreach (var branch in open)
            {
                int i = tokens.IndexOf(branch.Opening[depth]);
                if (i < 0)
                {
                    tokens.Add(branch.Opening[depth]);
                    weights.Add(branch.Weight);
                }
                else
                {
                    weights[i] += branch.Weight;
                }
            }
            var choice = tokens.Count == 1 ? TokenChoice.Forced(tokens[0]) : TokenChoice.Weighted(new WordTable(tokens), weights);
            var role = tokens.Count == 1 ? open[0].Roles[depth] : TokenRole.Free;
            string written = tokens[pen.Write(choice, role)];
            open = open.Where(b => b.Opening[depth] == written).ToList();
        }
    }
}

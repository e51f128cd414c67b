namespace OverOpt.MLNet.World;

/// <summary>
/// Every story a (tiny) world can write, with its exact probability: a depth-first walk over all options of every
/// choice. On a world small enough to walk, the probabilities summing to 1 and the texts being distinct prove the
/// grammar is a proper, unambiguous distribution over texts.
/// </summary>
public static class StoryEnumerator
{
    /// <summary>Each story of <paramref name="world"/> (text without the end token) with log p(story, end); throws past <paramref name="limit"/> stories.</summary>
    public static IEnumerable<(string Text, double LogProbability)> Enumerate(StoryWorld world, long limit = 10_000_000)
    {
        var script = new StoryScript(world);
        var pen = new PathPen();
        long count = 0;
        while (true)
        {
            pen.Start();
            script.Write(pen);
            if (++count > limit)
            {
                throw new InvalidOperationException($"The world writes more than {limit} stories; use a smaller one.");
            }
            yield return (string.Join(' ', pen.Tokens.Take(pen.Tokens.Count - 1)), pen.LogProbability);
            if (!pen.Advance())
            {
                yield break;
            }
        }
    }

    /// <summary>A pen that replays a path of options and extends it with each choice's first option.</summary>
    private sealed class PathPen : IStoryPen
    {
        private readonly List<int> _path = [];
        private readonly List<int[]> _options = [];
        private int _depth;

        public List<string> Tokens { get; } = [];

        public double LogProbability { get; private set; }

        public void Start()
        {
            _depth = 0;
            Tokens.Clear();
            LogProbability = 0;
        }

        public int Write(TokenChoice choice, TokenRole role)
        {
            if (_depth == _path.Count)
            {
                var positive = Enumerable.Range(0, choice.Count).Where(i => choice.Probability(i) > 0).ToArray();
                _options.Add(positive);
                _path.Add(0);
            }
            int option = _options[_depth][_path[_depth]];
            _depth++;
            Tokens.Add(choice.Token(option));
            LogProbability += Math.Log(choice.Probability(option));
            return option;
        }

        /// <summary>Moves to the next path in depth-first order; false when every path has been walked.</summary>
        public bool Advance()
        {
            // The walk that just ended used exactly _depth choices; deeper entries belong to no story.
            _path.RemoveRange(_depth, _path.Count - _depth);
            _options.RemoveRange(_depth, _options.Count - _depth);
            for (int d = _path.Count - 1; d >= 0; d--)
            {
                if (_path[d] + 1 < _options[d].Length)
                {
                    _path[d]++;
                    _path.RemoveRange(d + 1, _path.Count - d - 1);
                    _options.RemoveRange(d + 1, _options.Count - d - 1);
                    return true;
                }
            }
            return false;
        }
    }
}

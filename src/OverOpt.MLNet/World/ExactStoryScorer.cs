namespace OverOpt.MLNet.World;

/// <summary>
/// The exact probabilities of a <see cref="StoryWorld"/>'s language, re-derived from text: a story's
/// log-probability (its end token included), every token's, and the distribution of the next token after any
/// prefix. It runs the grammar with the text's own tokens as the choices, so it needs nothing but the text.
/// </summary>
public sealed class ExactStoryScorer
{
    private readonly StoryScript _script;

    /// <summary>A scorer of stories of <paramref name="world"/>.</summary>
    public ExactStoryScorer(StoryWorld world) => _script = new StoryScript(world);

    /// <summary>log p(story, then the end token) of a corpus line (tokens separated by single spaces, no begin or end token).</summary>
    /// <exception cref="StoryParseException">The grammar cannot write <paramref name="text"/>.</exception>
    public double LogProbability(string text) => TokenLogProbabilities(text).Sum();

    /// <summary>The log-probability of each token of the story and of the end token after it, given the tokens before.</summary>
    /// <exception cref="StoryParseException">The grammar cannot write <paramref name="text"/>.</exception>
    public IReadOnlyList<double> TokenLogProbabilities(string text) => Read(text).LogProbabilities;

    /// <summary>What decided each token of the story and the end token, as the grammar re-derives it from the text.</summary>
    /// <exception cref="StoryParseException">The grammar cannot write <paramref name="text"/>.</exception>
    public IReadOnlyList<TokenRole> Roles(string text) => Read(text).Roles;

    /// <summary>Whether the grammar can write <paramref name="text"/> (probability above zero).</summary>
    public bool CanWrite(string text)
    {
        try
        {
            Read(text);
            return true;
        }
        catch (StoryParseException)
        {
            return false;
        }
    }

    /// <summary>
    /// The exact distribution of the token after <paramref name="prefix"/> (a story's first tokens, no begin token):
    /// at the story's end it is the end token with probability 1.
    /// </summary>
    /// <exception cref="StoryParseException">The prefix has probability zero, or runs past the story's end.</exception>
    public TokenChoice NextToken(IReadOnlyList<string> prefix)
    {
        var pen = new ReadingPen(prefix);
        try
        {
            _script.Write(pen);
        }
        catch (ReadingPen.TextEnded ended)
        {
            return ended.Next;
        }
        throw new StoryParseException(prefix.Count - 1, prefix[^1], "the story (and its end token) is complete before this token.");
    }

    /// <summary>
    /// The true log-probability of each token of a stream of stories (as a language model reads it: "&lt;bos&gt; story
    /// &lt;bos&gt; story ..."), each given the tokens of its story before it: what a perfect model would assign.
    /// A token the grammar cannot write there gets negative infinity, and the rest of its story NaN (its state is
    /// unknown) up to and including the next end token, after which the next story is scored afresh. Tokens before the
    /// first begin token, and that begin token, get NaN.
    /// </summary>
    public double[] StreamLogProbabilities(IReadOnlyList<string> tokens)
    {
        var result = Enumerable.Repeat(double.NaN, tokens.Count).ToArray();
        int begin = IndexOfEnd(tokens, 0);
        while (begin >= 0 && begin < tokens.Count)
        {
            int next = IndexOfEnd(tokens, begin + 1);
            int last = next < 0 ? tokens.Count - 1 : next;
            var segment = new List<string>();
            for (int i = begin + 1; i <= last; i++)
            {
                segment.Add(tokens[i]);
            }
            var pen = new ReadingPen(segment);
            try
            {
                _script.Write(pen);
            }
            catch (ReadingPen.TextEnded)
            {
                // The stream stops mid-story: the tokens read so far are scored.
            }
            catch (StoryParseException)
            {
                result[begin + 1 + pen.Position] = double.NegativeInfinity;
            }
            for (int i = 0; i < pen.LogProbabilities.Count; i++)
            {
                result[begin + 1 + i] = pen.LogProbabilities[i];
            }
            begin = next;
        }
        return result;
    }

    private static int IndexOfEnd(IReadOnlyList<string> tokens, int from)
    {
        for (int i = from; i < tokens.Count; i++)
        {
            if (tokens[i] == StoryScript.EndToken)
            {
                return i;
            }
        }
        return -1;
    }

    private ReadingPen Read(string text)
    {
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(StoryScript.EndToken).ToArray();
        var pen = new ReadingPen(tokens);
        try
        {
            _script.Write(pen);
        }
        catch (ReadingPen.TextEnded)
        {
            throw new StoryParseException(tokens.Length - 1, StoryScript.EndToken, "the story ends before the grammar lets it.");
        }
        if (pen.Position < tokens.Length)
        {
            throw new StoryParseException(pen.Position, tokens[pen.Position], "the story goes on after the grammar ended it.");
        }
        return pen;
    }
}

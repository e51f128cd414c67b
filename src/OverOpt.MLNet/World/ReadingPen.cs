namespace OverOpt.MLNet.World;

/// <summary>
/// A pen that takes every choice from a given text: the option whose token is the text's next token. It sums the
/// log-probabilities, so the grammar run with it re-derives a text's probability from the words alone.
/// </summary>
internal sealed class ReadingPen(IReadOnlyList<string> tokens) : IStoryPen
{
    public int Position { get; private set; }

    public List<double> LogProbabilities { get; } = [];

    public List<TokenRole> Roles { get; } = [];

    public int Write(TokenChoice choice, TokenRole role)
    {
        if (Position >= tokens.Count)
        {
            throw new TextEnded(choice);
        }
        string token = tokens[Position];
        int option = choice.IndexOf(token);
        if (option < 0)
        {
            string expected = choice.Support <= 6
                ? string.Join(", ", Enumerable.Range(0, choice.Count).Where(i => choice.Probability(i) > 0).Select(choice.Token))
                : $"one of {choice.Support} tokens";
            throw new StoryParseException(Position, token, $"the grammar writes {expected} here.");
        }
        LogProbabilities.Add(Math.Log(choice.Probability(option)));
        Roles.Add(role);
        Position++;
        return option;
    }

    /// <summary>Thrown when the grammar asks for a token past the end of the text, carrying what it would write next.</summary>
    internal sealed class TextEnded(TokenChoice next) : Exception("The text ended before the story did.")
    {
        public TokenChoice Next { get; } = next;
    }
}

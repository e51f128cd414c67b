namespace OverOpt.MLNet.World;

/// <summary>A text the grammar cannot write: some token has probability zero where it stands (or the text stops short or runs on).</summary>
public sealed class StoryParseException : Exception
{
    /// <summary>Says which token at which position the grammar could not write there.</summary>
    public StoryParseException(int position, string token, string message) : base($"token {position} ('{token}'): {message}")
    {
        Position = position;
        Token = token;
    }

    /// <summary>The 0-based position of the first token the grammar could not write.</summary>
    public int Position { get; }

    /// <summary>That token ("" when the text ended where the grammar wanted more).</summary>
    public string Token { get; }
}

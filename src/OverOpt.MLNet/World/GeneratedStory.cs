namespace OverOpt.MLNet.World;

/// <summary>
/// A story as the generator wrote it: its text, and for every token what decided it and its exact log-probability.
/// The last token is the end token (the next story's &lt;bos&gt;): a language model trained on the stream
/// "&lt;bos&gt; story &lt;bos&gt; story ..." predicts it too, so it is scored like any other token.
/// </summary>
/// <param name="Text">The story as a corpus line: tokens joined by single spaces, the end token left out.</param>
/// <param name="Tokens">The story's tokens, then the end token.</param>
/// <param name="Roles">What decided each token of <paramref name="Tokens"/>.</param>
/// <param name="TokenLogProbabilities">The natural log of each token's probability given the tokens before it.</param>
/// <param name="Plot">The state the story ended in.</param>
public sealed record GeneratedStory(string Text, IReadOnlyList<string> Tokens, IReadOnlyList<TokenRole> Roles, IReadOnlyList<double> TokenLogProbabilities, StoryPlot Plot)
{
    /// <summary>log p(story, then the end token): the sum of <see cref="TokenLogProbabilities"/>.</summary>
    public double LogProbability => TokenLogProbabilities.Sum();

    /// <summary>Tokens a language model is scored on: the story's tokens and the end token (the begin token before it is given).</summary>
    public int ScoredTokens => Tokens.Count;
}

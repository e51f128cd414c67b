namespace OverOpt.MLNet.World;

/// <summary>A pen that draws every choice from a seeded <see cref="Random"/> and records each token, its role and its log-probability.</summary>
public sealed class SamplingPen : IStoryPen
{
    private readonly Random _rng;

    /// <summary>A pen drawing from <paramref name="rng"/>, which it advances.</summary>
    public SamplingPen(Random rng) => _rng = rng;

    /// <summary>Tokens written since the last <see cref="Clear"/>.</summary>
    public List<string> Tokens { get; } = [];

    /// <summary>The role of each token in <see cref="Tokens"/>.</summary>
    public List<TokenRole> Roles { get; } = [];

    /// <summary>The log-probability of each token in <see cref="Tokens"/>.</summary>
    public List<double> LogProbabilities { get; } = [];

    /// <inheritdoc/>
    public int Write(TokenChoice choice, TokenRole role)
    {
        int option = choice.Sample(_rng);
        Tokens.Add(choice.Token(option));
        Roles.Add(role);
        LogProbabilities.Add(Math.Log(choice.Probability(option)));
        return option;
    }

    /// <summary>Forgets the tokens written, to start the next story.</summary>
    public void Clear()
    {
        Tokens.Clear();
        Roles.Clear();
        LogProbabilities.Clear();
    }
}

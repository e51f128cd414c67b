namespace OverOpt.MLNet.World;

/// <summary>
/// The share of responses that break each category at least once (violations shown in the response, not the
/// prompt): how often a language model's samples carry each kind of mistake a reader can judge.
/// </summary>
public sealed class BreakRates
{
    private readonly Dictionary<ViolationKind, int> _broken = [];
    private int _any;
    private int _ended;

    /// <summary>Responses counted.</summary>
    public int Samples { get; private set; }

    /// <summary>Counts one response: <paramref name="reading"/> of its prompt and response, whose response begins at <paramref name="responseStart"/>.</summary>
    public void Add(StoryReading reading, int responseStart)
    {
        Samples++;
        var kinds = reading.From(responseStart).Select(v => v.Kind).Distinct().ToList();
        foreach (var kind in kinds)
        {
            _broken[kind] = _broken.GetValueOrDefault(kind) + 1;
        }
        _any += kinds.Count > 0 ? 1 : 0;
        _ended += reading.Stories.Count > 0 && reading.Stories[0].Ended ? 1 : 0;
    }

    /// <summary>The share of responses with at least one violation of <paramref name="kind"/>.</summary>
    public double Rate(ViolationKind kind) => Samples == 0 ? 0 : _broken.GetValueOrDefault(kind) / (double)Samples;

    /// <summary>The share of responses with at least one violation of any kind.</summary>
    public double AnyRate => Samples == 0 ? 0 : _any / (double)Samples;

    /// <summary>The share of responses that end the prompt's story (only those can leave its goal hanging or miss an effect).</summary>
    public double EndedRate => Samples == 0 ? 0 : _ended / (double)Samples;

    /// <inheritdoc/>
    public override string ToString()
        => $"{Samples} responses, {AnyRate:P1} break something, {EndedRate:P1} end the story; "
            + string.Join(", ", Enum.GetValues<ViolationKind>().Select(k => $"{k} {Rate(k):P1}"));
}

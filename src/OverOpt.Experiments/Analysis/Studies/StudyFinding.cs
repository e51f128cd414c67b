namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>How a finding of the paper fares in a sweep's data.</summary>
public enum StudyVerdict
{
    /// <summary>The data show it, by the criterion stated with the numbers.</summary>
    Holds,

    /// <summary>The data do not show it (including: the effect is not distinguishable from none).</summary>
    DoesNotHold,

    /// <summary>The sweep has no data that address it (e.g. one comparison count for a data-size finding).</summary>
    NotMeasured,
}

/// <summary>
/// One finding of the reproduction spec (its number there, e.g. "1" for reward-model size), judged on a sweep database:
/// the verdict, and the numbers and criterion behind it.
/// </summary>
public sealed record StudyFinding(string Spec, string Finding, StudyVerdict Verdict, string Numbers)
{
    /// <summary>A finding the sweep cannot address, with the reason.</summary>
    public static StudyFinding NotMeasured(string spec, string finding, string why) => new(spec, finding, StudyVerdict.NotMeasured, why);

    /// <summary>A finding judged by <paramref name="holds"/>.</summary>
    public static StudyFinding Judged(string spec, string finding, bool holds, string numbers) => new(spec, finding, holds ? StudyVerdict.Holds : StudyVerdict.DoesNotHold, numbers);

    /// <summary>"holds", "does not hold" or "not measured in this sweep".</summary>
    public string VerdictText => Verdict switch
    {
        StudyVerdict.Holds => "holds",
        StudyVerdict.DoesNotHold => "does not hold",
        _ => "not measured in this sweep",
    };
}

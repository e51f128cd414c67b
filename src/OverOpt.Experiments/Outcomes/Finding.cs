namespace OverOpt.Experiments.Outcomes;

/// <summary>How a finding of the paper fares in the data at hand.</summary>
public enum FindingVerdict
{
    /// <summary>The data show it, by the criterion stated with the numbers.</summary>
    Holds,

    /// <summary>The data do not show it (including: the effect is not distinguishable from none).</summary>
    DoesNotHold,

    /// <summary>The data do not address it (e.g. one comparison count for a data-size finding, or one proxy for a size finding).</summary>
    NotMeasured,
}

/// <summary>
/// One finding of the paper judged on a run's seed means or on a sweep's database: the reproduction spec's number for
/// it (empty where it has none), the statement, the verdict, and the numbers and criterion behind it. A run's report and
/// a sweep's report both speak it.
/// </summary>
public sealed record Finding(string Spec, string Statement, FindingVerdict Verdict, string Numbers)
{
    /// <summary>A finding the data cannot address, with the reason.</summary>
    public static Finding NotMeasured(string spec, string statement, string why) => new(spec, statement, FindingVerdict.NotMeasured, why);

    /// <summary>A finding judged by <paramref name="holds"/>.</summary>
    public static Finding Judged(string spec, string statement, bool holds, string numbers)
        => new(spec, statement, holds ? FindingVerdict.Holds : FindingVerdict.DoesNotHold, numbers);

    /// <summary>A finding judged by <paramref name="holds"/>, or not measured where it is null (the data cannot tell).</summary>
    public static Finding Judged(string spec, string statement, bool? holds, string numbers)
        => holds is { } value ? Judged(spec, statement, value, numbers) : NotMeasured(spec, statement, numbers);

    /// <summary>"holds", "does not hold" or "not measured".</summary>
    public string VerdictText => Verdict switch
    {
        FindingVerdict.Holds => "holds",
        FindingVerdict.DoesNotHold => "does not hold",
        _ => "not measured",
    };
}

namespace OverOpt.MLNet.Runtime;

/// <summary>
/// Bad input: names the file (where there is one), the field, what is wrong and how to fix it.
/// </summary>
public sealed class OverOptConfigurationException : Exception
{
    /// <summary>An error about <paramref name="field"/>, saying <paramref name="problem"/> and <paramref name="fix"/>; the message joins them, prefixed by <paramref name="file"/> where given.</summary>
    public OverOptConfigurationException(string problem, string field, string fix, string? file = null, Exception? inner = null)
        : base(Compose(problem, field, fix, file), inner)
    {
        Problem = problem;
        Field = field;
        Fix = fix;
        File = file;
    }

    /// <summary>What is wrong, as a sentence for the user.</summary>
    public string Problem { get; }

    /// <summary>The field's path, dotted from the root of the configuration (e.g. <c>policy.heads</c>).</summary>
    public string Field { get; }

    /// <summary>How to put it right, as a sentence for the user.</summary>
    public string Fix { get; }

    /// <summary>The configuration file that holds the field; null where the input did not come from a file.</summary>
    public string? File { get; }

    /// <summary>The same error, attributed to <paramref name="file"/> and with the field nested under <paramref name="fieldPrefix"/>.</summary>
    public OverOptConfigurationException InFile(string file, string? fieldPrefix = null)
    {
        string field = string.IsNullOrEmpty(fieldPrefix) ? Field : $"{fieldPrefix}.{Field}";
        return new OverOptConfigurationException(Problem, field, Fix, file, InnerException);
    }

    private static string Compose(string problem, string field, string fix, string? file)
        => $"{(file is null ? "" : file + ": ")}field '{field}': {problem} Fix: {fix}";
}

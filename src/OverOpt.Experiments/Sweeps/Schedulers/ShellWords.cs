using System.Text.RegularExpressions;

namespace OverOpt.Experiments.Sweeps.Schedulers;

/// <summary>Arguments written for a POSIX shell: left as they are when safe, single-quoted otherwise.</summary>
public static partial class ShellWords
{
    /// <summary>The word as the shell must see it to pass it unchanged.</summary>
    public static string Quote(string word)
        => word.Length > 0 && SafeWord().IsMatch(word) ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary>A command line of quoted words.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    [GeneratedRegex(@"^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex SafeWord();
}

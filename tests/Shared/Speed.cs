namespace OverOpt.Testing;

/// <summary>
/// The trait that marks test classes whose tests take a second or less and share no slow fixture, so that
/// <c>./test.sh --filter Category=Fast</c> runs them all in well under a minute.
/// </summary>
internal static class Speed
{
    public const string Category = "Category";

    public const string Fast = "Fast";
}

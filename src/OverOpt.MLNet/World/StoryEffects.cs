namespace OverOpt.MLNet.World;

/// <summary>
/// The effects a story must state after its ending, in order, one "she was ..." sentence each: "sad" after a failed
/// goal, the weather's effect ("wet", "cold") after weather, "full" after eating. Each cause comes many tokens before its
/// effect, so predicting (or checking) an effect needs the whole story in view.
/// </summary>
public static class StoryEffects
{
    /// <summary>The effect of a failed goal.</summary>
    public const string Sad = "sad";

    /// <summary>The effect of eating.</summary>
    public const string Full = "full";

    /// <summary>Every effect word.</summary>
    public static IReadOnlyList<string> Words { get; } = new[] { Sad }.Concat(WorldTables.Weather.Select(w => w.Effect)).Append(Full).ToArray();

    /// <summary>The effects owed, in the order they are stated.</summary>
    /// <param name="failed">Whether the goal failed.</param>
    /// <param name="weather">Index into <see cref="WorldTables.Weather"/> of the weather that came, or -1.</param>
    /// <param name="ate">Whether the hero ate.</param>
    public static IReadOnlyList<string> Owed(bool failed, int weather, bool ate)
    {
        var owed = new List<string>();
        if (failed)
        {
            owed.Add(Sad);
        }
        if (weather >= 0)
        {
            owed.Add(WorldTables.Weather[weather].Effect);
        }
        if (ate)
        {
            owed.Add(Full);
        }
        return owed;
    }
}

using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>World options from flags, so that design variants can be tried without editing the library's defaults.</summary>
internal static class WorldFlags
{
    /// <summary>The story world's version name (<c>--version</c>): storyworld-1 unless another is named.</summary>
    public static string Design(Flags flags) => flags.String("version", StoryWorld.Version);

    public static StoryWorldOptions Options(Flags flags)
    {
        var d = new StoryWorldOptions();
        return d with
        {
            CastSize = flags.Int("cast", d.CastSize),
            ZipfExponent = flags.Double("zipf", d.ZipfExponent),
            MaxEvents = flags.Int("events", d.MaxEvents),
            EndProbability = flags.Double("end", d.EndProbability),
        };
    }
}

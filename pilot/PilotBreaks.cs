using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>Break rates of a saved policy (from the train mode) on its world's held-out prompts, without retraining.</summary>
internal static class PilotBreaks
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(1);
        int worldSeed = flags.Int("world", 1);
        var world = StoryWorld.Create(WorldFlags.Design(flags), worldSeed, WorldFlags.Options(flags));
        int storyCount = flags.Int("stories", 30000);
        var lines = new StoryGenerator(world, PilotTrain.CorpusSeed(worldSeed)).Generate(storyCount).Select(s => s.Text).ToArray();
        var heldOut = lines.Skip(lines.Length - Math.Max(1, lines.Length / 10)).ToArray();
        using var policy = Policy.Load(flags.String("model", ""));
        var report = BreakRateReport.Measure(policy, world, heldOut, flags.Int("prompt", 16), flags.Int("response", 24), flags.Int("prompts", 1000), flags.Int("seed", 5));
        Console.WriteLine(report);
        if (flags.Double("sombre", 0) is > 0 and var share)
        {
            Console.WriteLine(SombreCheerShares.Measure(new StoryTaste(world, new StoryTasteOptions { SombreShare = share }), report.Texts, flags.Int("prompt", 16)));
        }
        foreach (var example in report.Examples)
        {
            Console.WriteLine(example);
        }
    }
}

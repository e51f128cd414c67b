using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>The world's entropy per token and the plug-in H_n at two sample sizes (where they differ, the estimate is biased by rare contexts).</summary>
internal static class PilotEntropy
{
    public static void Run(Flags flags)
    {
        var options = WorldFlags.Options(flags);
        int[] orders = flags.Ints("orders", [0, 1, 2, 3, 4, 6, 8, 12]);
        foreach (int worldSeed in flags.Ints("worlds", [1, 2, 3]))
        {
            var world = StoryWorld.Create(WorldFlags.Design(flags), worldSeed, options);
            var entropy = CorpusEntropy.Estimate(world, 7_000_000 + worldSeed, 100_000);
            Console.WriteLine($"world {worldSeed}: entropy {entropy}");
            foreach (int size in flags.Ints("sizes", [30_000, 200_000]))
            {
                var stories = new StoryGenerator(world, 8_000_000 + worldSeed).Generate(size).ToList();
                var h = NGramEntropy.Estimate(stories, orders);
                Console.WriteLine($"  H_n plug-in on {size} stories: " + string.Join("  ", orders.Select(n => $"H_{n} {h[n]:F3}")));
            }
        }
    }
}

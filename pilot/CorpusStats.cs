using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>Shows stories of a world and measures its entropy, lengths and vocabulary.</summary>
internal static class CorpusStats
{
    public static void Run(Flags flags)
    {
        var options = WorldFlags.Options(flags);
        foreach (int worldSeed in flags.Ints("worlds", [1, 2, 3]))
        {
            var world = StoryWorld.Create(WorldFlags.Design(flags), worldSeed, options);
            var stories = new StoryGenerator(world, 1000 + worldSeed).Generate(flags.Int("stories", 20000)).ToList();
            Console.WriteLine($"world {worldSeed}: {world.Design} {options}");
            foreach (var s in stories.Take(flags.Int("show", 5)))
            {
                Console.WriteLine($"  [{-s.LogProbability:F1} nats, {s.ScoredTokens} tok] {s.Text}");
            }
            Console.WriteLine($"  entropy: {CorpusEntropy.Estimate(stories)}");
            var lengths = stories.Select(s => s.ScoredTokens).Order().ToArray();
            Console.WriteLine($"  scored tokens: min {lengths[0]} p10 {lengths[lengths.Length / 10]} median {lengths[lengths.Length / 2]} p90 {lengths[lengths.Length * 9 / 10]} max {lengths[^1]}");
            var vocabulary = stories.SelectMany(s => s.Tokens).Distinct().Count();
            Console.WriteLine($"  distinct tokens used: {vocabulary} (world vocabulary {world.Vocabulary().Count} + end token)");
            foreach (var (role, (nats, share)) in CorpusEntropy.ByRole(stories).OrderBy(kv => kv.Key))
            {
                Console.WriteLine($"  {role,-8} {share:P1} of tokens, {nats:F3} nats each");
            }
        }
    }
}

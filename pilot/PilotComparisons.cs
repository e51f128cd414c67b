using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>
/// The reward pilot's comparisons of one world: pi_init (saved by the train mode) answers held-out prompts twice and
/// the taste labels each pair. Training and validation comparisons ask different prompts (the first two thirds of the
/// held-out stories and the rest), so validation measures generalization to new stories. Seeded by the world seed
/// alone, so every mode that asks for them gets the same comparisons.
/// </summary>
internal sealed class PilotComparisons : IDisposable
{
    private PilotComparisons(Policy piInit, IReadOnlyList<TasteComparisons.Labelled> train, IReadOnlyList<TasteComparisons.Labelled> validation)
    {
        PiInit = piInit;
        Train = train;
        Validation = validation;
    }

    public Policy PiInit { get; }

    public IReadOnlyList<TasteComparisons.Labelled> Train { get; }

    public IReadOnlyList<TasteComparisons.Labelled> Validation { get; }

    public static PilotComparisons Build(Flags flags, StoryWorld world, StoryTaste taste)
    {
        int worldSeed = world.Seed;
        var corpus = PilotTrain.Corpus(world, worldSeed, flags.Int("stories", 30000)).Corpus;
        var piInit = Policy.Load(ModelPath(flags, worldSeed, PilotShapes.PiInit));
        var prompts = TextCorpus.Prompts(piInit.Tokenizer, corpus.ValidationStories, flags.Int("prompt", 16));
        var sampling = new SamplingOptions { ResponseLength = flags.Int("response", 24), Temperature = 1.0, BatchSize = 256 };
        double noise = flags.Double("noise", 0.25);
        int cut = prompts.Length * 2 / 3;
        var train = Compare(piInit, taste, prompts[..cut], flags.Int("comparisons", 4000), sampling, noise, seed: 100 + worldSeed);
        var validation = Compare(piInit, taste, prompts[cut..], flags.Int("validation", 1000), sampling, noise, seed: 200 + worldSeed);
        return new PilotComparisons(piInit, train, validation);
    }

    /// <summary>The train mode's saved language model of <paramref name="shape"/> (folder --models, steps --steps).</summary>
    public static string ModelPath(Flags flags, int worldSeed, string shape)
        => Path.Combine(flags.String("models", "runs/pilot"), $"world{worldSeed}-{shape}-{flags.Int("steps", 600)}.zip");

    public void Dispose() => PiInit.Dispose();

    /// <summary><paramref name="count"/> comparisons of two pi_init responses each, prompt i modulo their number, labelled by the taste.</summary>
    private static IReadOnlyList<TasteComparisons.Labelled> Compare(Policy policy, StoryTaste taste, int[][] prompts, int count, SamplingOptions sampling, double noise, int seed)
    {
        var chosen = Enumerable.Range(0, count).Select(i => prompts[i % prompts.Length]).ToArray();
        using var generator = new Generator((ulong)seed, policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, chosen, 2, sampling, generator);
        var parts = samples.Select(s => taste.Explain(policy.Tokenizer, s.Prompt, s.Response)).ToArray();
        var pairs = Enumerable.Range(0, count).Select(i => (chosen[i], samples[2 * i].Response, samples[2 * i + 1].Response)).ToArray();
        return TasteComparisons.Label(pairs, parts, noise, seed);
    }
}

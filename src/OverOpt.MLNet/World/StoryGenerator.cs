namespace OverOpt.MLNet.World;

/// <summary>
/// Draws stories of a <see cref="StoryWorld"/> from a corpus seed: the same world and corpus seed give the same
/// stories, in the same order, on any machine (System.Random with a seed is a fixed algorithm).
/// </summary>
public sealed class StoryGenerator
{
    private readonly StoryScript _script;
    private readonly SamplingPen _pen;

    /// <summary>A generator of stories of <paramref name="world"/> drawn from <paramref name="corpusSeed"/>.</summary>
    public StoryGenerator(StoryWorld world, int corpusSeed)
    {
        _script = new StoryScript(world);
        _pen = new SamplingPen(new Random(corpusSeed));
    }

    /// <summary>The world the stories are of.</summary>
    public StoryWorld World => _script.World;

    /// <summary>The next story.</summary>
    public GeneratedStory Next()
    {
        _pen.Clear();
        var plot = _script.Write(_pen);
        var tokens = _pen.Tokens.ToArray();
        return new GeneratedStory(string.Join(' ', tokens.Take(tokens.Length - 1)), tokens, _pen.Roles.ToArray(), _pen.LogProbabilities.ToArray(), plot);
    }

    /// <summary>The next <paramref name="count"/> stories.</summary>
    public IEnumerable<GeneratedStory> Generate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return Next();
        }
    }

    /// <summary>The corpus lines of <paramref name="count"/> stories of the world of <paramref name="worldSeed"/> drawn from <paramref name="corpusSeed"/>.</summary>
    public static IReadOnlyList<string> Lines(int worldSeed, int corpusSeed, int count, StoryWorldOptions? options = null)
        => Lines(StoryWorld.Create(worldSeed, options), corpusSeed, count);

    /// <summary>The corpus lines of <paramref name="count"/> stories of <paramref name="world"/> drawn from <paramref name="corpusSeed"/>.</summary>
    public static IReadOnlyList<string> Lines(StoryWorld world, int corpusSeed, int count)
        => new StoryGenerator(world, corpusSeed).Generate(count).Select(s => s.Text).ToArray();
}

namespace OverOpt.MLNet.World;

/// <summary>
/// The sizes and rates of a story world: how large its cast is, how unevenly the cast is mentioned, how many words
/// of each table it uses and how long its stories run. The defaults are "storyworld-1", the world of the pilot.
/// </summary>
public sealed record StoryWorldOptions
{
    /// <summary>Characters in the cast; each is one made-up name with fixed facts.</summary>
    public int CastSize { get; init; } = 400;

    /// <summary>
    /// The cast member of rank k (1-based) is chosen with probability proportional to k^-exponent: a few characters
    /// appear in many stories and most in few, so a model that can hold more facts keeps predicting better.
    /// </summary>
    public double ZipfExponent { get; init; } = 1.1;

    /// <summary>Words of <see cref="WorldTables.Kinds"/> in use.</summary>
    public int Kinds { get; init; } = 16;

    /// <summary>Words of <see cref="WorldTables.Places"/> in use.</summary>
    public int Places { get; init; } = 24;

    /// <summary>Words of <see cref="WorldTables.Treasures"/> in use.</summary>
    public int Treasures { get; init; } = 24;

    /// <summary>Words of <see cref="WorldTables.Foods"/> in use.</summary>
    public int Foods { get; init; } = 12;

    /// <summary>Words of <see cref="WorldTables.Things"/> in use.</summary>
    public int Things { get; init; } = 10;

    /// <summary>The largest count a story reaches (the number words in use are "one" to this).</summary>
    public int MaxCount { get; init; } = 9;

    /// <summary>The fewest foods picked in the opening of a gathering story.</summary>
    public int MinPicked { get; init; } = 2;

    /// <summary>The most foods picked in the opening of a gathering story.</summary>
    public int MaxPicked { get; init; } = 4;

    /// <summary>The most foods given or eaten in one event.</summary>
    public int MaxChange { get; init; } = 3;

    /// <summary>The most events between the opening and the ending (at least one always happens).</summary>
    public int MaxEvents { get; init; } = 3;

    /// <summary>After each event (below <see cref="MaxEvents"/>), the probability that the ending comes next.</summary>
    public double EndProbability { get; init; } = 0.4;

    /// <summary>The probability that a search or a visit succeeds.</summary>
    public double SuccessProbability { get; init; } = 0.6;

    /// <summary>The probability that a thing a character sees is the one it fears (otherwise any other, uniformly).</summary>
    public double FearShare { get; init; } = 0.5;

    /// <summary>Throws <see cref="ArgumentException"/> for sizes the tables cannot hold or rates outside (0, 1).</summary>
    public void Validate()
    {
        Check(CastSize >= 3, $"CastSize = {CastSize}: a story can need three different characters.");
        Check(ZipfExponent >= 0 && double.IsFinite(ZipfExponent), $"ZipfExponent = {ZipfExponent} must be a finite number >= 0.");
        Check(Kinds >= 1 && Kinds <= WorldTables.Kinds.Count, $"Kinds = {Kinds} must be 1 to {WorldTables.Kinds.Count}.");
        Check(Places >= 1 && Places <= WorldTables.Places.Count, $"Places = {Places} must be 1 to {WorldTables.Places.Count}.");
        Check(Treasures >= 1 && Treasures <= WorldTables.Treasures.Count, $"Treasures = {Treasures} must be 1 to {WorldTables.Treasures.Count}.");
        Check(Foods >= 1 && Foods <= WorldTables.Foods.Count, $"Foods = {Foods} must be 1 to {WorldTables.Foods.Count}.");
        Check(Things >= 2 && Things <= WorldTables.Things.Count, $"Things = {Things} must be 2 to {WorldTables.Things.Count}.");
        Check(MaxCount >= 2 && MaxCount <= WorldTables.Numbers.Count, $"MaxCount = {MaxCount} must be 2 to {WorldTables.Numbers.Count}.");
        Check(MinPicked >= 1 && MinPicked <= MaxPicked && MaxPicked <= MaxCount, $"picked counts {MinPicked} to {MaxPicked} must lie in 1 to MaxCount = {MaxCount}.");
        Check(MaxChange >= 1, $"MaxChange = {MaxChange} must be at least 1.");
        Check(MaxEvents >= 1, $"MaxEvents = {MaxEvents} must be at least 1.");
        Check(EndProbability > 0 && EndProbability < 1, $"EndProbability = {EndProbability} must lie strictly between 0 and 1.");
        Check(SuccessProbability > 0 && SuccessProbability < 1, $"SuccessProbability = {SuccessProbability} must lie strictly between 0 and 1.");
        Check(FearShare > 0 && FearShare < 1, $"FearShare = {FearShare} must lie strictly between 0 and 1.");
    }

    private static void Check(bool holds, string problem)
    {
        if (!holds)
        {
            throw new ArgumentException($"Story world options: {problem}");
        }
    }
}

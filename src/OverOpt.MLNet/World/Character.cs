namespace OverOpt.MLNet.World;

/// <summary>
/// A member of a world's cast and the facts the stories state about it, as positions in the world's tables. The
/// facts never change: every story that mentions the character respects them.
/// </summary>
/// <param name="Rank">0-based position in the cast; rank r is mentioned with probability proportional to (r + 1)^-exponent.</param>
/// <param name="Name">The character's name, one token.</param>
/// <param name="Female">Whether the character is "she" (otherwise "he").</param>
/// <param name="Kind">Position in the world's kinds.</param>
/// <param name="Home">Position in the world's places: where it lives.</param>
/// <param name="Treasure">Position in the world's treasures: the thing it owns.</param>
/// <param name="Food">Position in the world's foods: what it picks.</param>
/// <param name="Fear">Position in the world's things: what makes it hide.</param>
/// <param name="Friend">Rank of its friend, another member of the cast.</param>
public sealed record Character(int Rank, string Name, bool Female, int Kind, int Home, int Treasure, int Food, int Fear, int Friend)
{
    /// <summary>Index into <see cref="WorldTables.Pronouns"/>: 0 for "he", 1 for "she".</summary>
    public int Gender => Female ? 1 : 0;
}

namespace OverOpt.MLNet.World;

/// <summary>
/// Made-up character names of two consonant-vowel syllables ("bodi", "mera"): thousands of distinct single tokens
/// with no meaning a model could bring from elsewhere, so each name's facts must be learned from the stories.
/// </summary>
public static class NameMaker
{
    private const string Consonants = "bdfghklmnprstvz";
    private const string Vowels = "aeiou";

    /// <summary>How many distinct names the syllables can make.</summary>
    public static int Capacity => Consonants.Length * Vowels.Length * Consonants.Length * Vowels.Length;

    /// <summary>
    /// <paramref name="count"/> distinct names in an order drawn from <paramref name="rng"/>, none of them a word in
    /// <paramref name="reserved"/> (the world's other words).
    /// </summary>
    public static IReadOnlyList<string> Draw(int count, Random rng, IReadOnlySet<string> reserved)
    {
        var all = AllNames().Where(n => !reserved.Contains(n)).ToArray();
        if (count > all.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Only {all.Length} names can be made.");
        }
        // A partial Fisher-Yates shuffle: the first count entries are a uniform draw in a uniform order.
        for (int i = 0; i < count; i++)
        {
            int j = i + rng.Next(all.Length - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all.Take(count).ToArray();
    }

    private static IEnumerable<string> AllNames()
    {
        foreach (char c1 in Consonants)
        {
            foreach (char v1 in Vowels)
            {
                foreach (char c2 in Consonants)
                {
                    foreach (char v2 in Vowels)
                    {
                        yield return new string([c1, v1, c2, v2]);
                    }
                }
            }
        }
    }
}

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Noise that is a fixed function of the (prompt, response) pair and a seed: the same response always draws the same
/// value, so a proxy "gold plus noise" is one reward function (PPO sees no fresh noise for a response it revisits),
/// while different responses draw independent values. The draw is SplitMix64 seeded by an FNV-1a hash of the tokens and
/// the seed, so it is the same on every machine and thread count.
/// </summary>
public sealed class ResponseNoise
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>Noise of the given law, scale and seed; <paramref name="degreesOfFreedom"/> is read for Student's t only.</summary>
    public ResponseNoise(double scale, NoiseDistribution distribution, int degreesOfFreedom, int seed)
    {
        if (!(scale >= 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the noise scale must be a finite number >= 0.");
        }
        if (distribution == NoiseDistribution.StudentT && degreesOfFreedom < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Student's t needs at least 1 degree of freedom.");
        }
        Scale = scale;
        Distribution = distribution;
        DegreesOfFreedom = degreesOfFreedom;
        Seed = seed;
    }

    /// <summary>Standard deviation (normal) or scale (Student's t).</summary>
    public double Scale { get; }

    /// <summary>The noise's law.</summary>
    public NoiseDistribution Distribution { get; }

    /// <summary>Student's t's degrees of freedom.</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>Which of the independent noise functions this is.</summary>
    public int Seed { get; }

    /// <summary>The noise's variance: scale^2 (normal), scale^2 nu / (nu - 2) (Student's t, nu &gt; 2), else infinity.</summary>
    public double Variance => Distribution switch
    {
        NoiseDistribution.Normal => Scale * Scale,
        _ when Scale == 0 => 0,
        _ => DegreesOfFreedom > 2 ? Scale * Scale * DegreesOfFreedom / (DegreesOfFreedom - 2) : double.PositiveInfinity,
    };

    /// <summary>The noise of one (prompt, response) pair.</summary>
    public double Of(ReadOnlySpan<int> prompt, ReadOnlySpan<int> response)
    {
        ulong state = Hash(prompt, response) ^ Mix((ulong)(uint)Seed + 0x632BE59BD9B4E019UL);
        double z = StandardNormal(ref state);
        if (Distribution == NoiseDistribution.StudentT)
        {
            double chiSquare = 0;
            for (int k = 0; k < DegreesOfFreedom; k++)
            {
                double x = StandardNormal(ref state);
                chiSquare += x * x;
            }
            z /= Math.Sqrt(chiSquare / DegreesOfFreedom);
        }
        return Scale * z;
    }

    private static ulong Hash(ReadOnlySpan<int> prompt, ReadOnlySpan<int> response)
    {
        ulong h = FnvOffset;
        foreach (int token in prompt)
        {
            h = Step(h, token);
        }
        // A separator no token id takes, so that moving a token across the prompt-response boundary changes the hash.
        h = Step(h, -1);
        foreach (int token in response)
        {
            h = Step(h, token);
        }
        return h;
    }

    private static ulong Step(ulong h, int token)
    {
        for (int shift = 0; shift < 32; shift += 8)
        {
            h = (h ^ (byte)(token >> shift)) * FnvPrime;
        }
        return h;
    }

    private static double StandardNormal(ref ulong state)
    {
        // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - Uniform(ref state);
        double u2 = Uniform(ref state);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Uniform(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return (Mix(state) >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

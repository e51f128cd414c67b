using System.Security.Cryptography;
using System.Text;

namespace OverOpt.MLNet.Text;

/// <summary>
/// Distinct prompts split by their text into a training and a held-out set, so that "held out" means a prompt no
/// training stage has seen word for word. Story openings repeat in a grammar-made corpus, so splitting stories would
/// put the same prompt on both sides. Each distinct prompt goes to one side by a hash of its text: stable across runs,
/// machines and corpus order.
/// </summary>
public sealed class PromptSplit
{
    private PromptSplit(int[][] train, int[][] heldOut, int openings)
    {
        Train = train;
        HeldOut = heldOut;
        Openings = openings;
    }

    /// <summary>Distinct prompts for gold, comparisons and PPO training, in first-appearance order.</summary>
    public IReadOnlyList<int[]> Train { get; }

    /// <summary>Distinct prompts for every evaluation (best-of-n, PPO evaluations), none of them among <see cref="Train"/>.</summary>
    public IReadOnlyList<int[]> HeldOut { get; }

    /// <summary>Stories long enough to give a prompt, before deduplication.</summary>
    public int Openings { get; }

    /// <param name="tokenizer">The policy's tokenizer.</param>
    /// <param name="corpus">Every story of the corpus is a source of prompts.</param>
    /// <param name="length">Tokens per prompt, the begin token included.</param>
    /// <param name="heldOutFraction">Share of distinct prompts held out (by hash, so only about this share).</param>
    public static PromptSplit Create(WordTokenizer tokenizer, TextCorpus corpus, int length, double heldOutFraction = 0.2)
    {
        if (heldOutFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "The held-out share must lie strictly between 0 and 1.");
        }
        var all = TextCorpus.Prompts(tokenizer, corpus.Stories, length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var train = new List<int[]>();
        var heldOut = new List<int[]>();
        foreach (var prompt in all)
        {
            string text = tokenizer.Decode(prompt);
            if (!seen.Add(text))
            {
                continue;
            }
            (Fraction(text) < heldOutFraction ? heldOut : train).Add(prompt);
        }
        return new PromptSplit(train.ToArray(), heldOut.ToArray(), all.Length);
    }

    /// <summary>A uniform number in [0, 1) fixed by the text.</summary>
    private static double Fraction(string text)
        => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0) / (ulong.MaxValue + 1.0);
}

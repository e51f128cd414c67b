using System.Text;

namespace OverOpt.MLNet.Text;

/// <summary>
/// Writes the bundled "tiny tales" corpus: short stories from a small probabilistic grammar.
/// The grammar is small enough that a GPT of ~100k parameters learns it in minutes on two cores,
/// yet has real choices at every slot (names, animals, moods, objects, places), so that policies
/// have entropy to spend and reward models have features to prefer (mood words, repetition, length
/// of sentences).
/// </summary>
public static class TinyTalesGenerator
{
    private static readonly string[] Names = ["tom", "lily", "ben", "mia", "sam", "anna", "max", "lucy", "tim", "sara", "leo", "zoe"];
    private static readonly string[] Animals = ["cat", "dog", "bird", "fox", "bear", "frog", "duck", "rabbit", "mouse", "owl"];
    private static readonly string[] Adjectives = ["little", "big", "happy", "sad", "brave", "shy", "kind", "silly", "old", "young", "clever", "sleepy"];
    private static readonly string[] Colors = ["red", "blue", "green", "yellow", "pink", "white", "black", "orange"];
    private static readonly string[] Objects = ["ball", "kite", "box", "hat", "cake", "book", "toy", "boat", "flower", "apple", "stone", "drum"];
    private static readonly string[] Places = ["in the park", "by the river", "in the forest", "at home", "near the lake", "on the hill", "in the garden", "at school"];
    private static readonly string[] Verbs = ["play", "run", "jump", "sing", "dance", "read", "swim", "draw", "build", "hide"];
    private static readonly string[] PastVerbs = ["played", "ran", "jumped", "sang", "danced", "laughed", "walked", "smiled", "rested", "talked"];
    private static readonly string[] GoodFeelings = ["happy", "glad", "proud", "calm", "excited"];
    private static readonly string[] BadFeelings = ["sad", "angry", "scared", "tired", "lonely"];
    private static readonly string[] Weather = ["rain", "wind", "snow", "sun", "fog"];
    private static readonly string[] Friends = ["friend", "mom", "dad", "sister", "brother", "teacher"];

    /// <summary>Generates <paramref name="stories"/> stories, one per line, words and punctuation separated by single spaces.</summary>
    public static string Generate(int stories, int seed)
    {
        // System.Random with an explicit seed is a stable algorithm across .NET versions.
        var rng = new Random(seed);
        var text = new StringBuilder();
        for (int s = 0; s < stories; s++)
        {
            text.AppendLine(Story(rng));
        }
        return text.ToString();
    }

    private static string Story(Random rng)
    {
        string name = Pick(rng, Names);
        string friend = Pick(rng, Names.Where(n => n != name).ToArray());
        string pronoun = rng.Next(2) == 0 ? "he" : "she";
        string possessive = pronoun == "he" ? "his" : "her";
        string obj = Pick(rng, Objects);
        bool goodEnding = rng.NextDouble() < 0.6;

        var sentences = new List<string>
        {
            Pick(rng, [
                $"once there was a {Pick(rng, Adjectives)} {Pick(rng, Animals)} named {name} .",
                $"{name} was a {Pick(rng, Adjectives)} {Pick(rng, Animals)} who lived {Pick(rng, Places)} .",
                $"one day {name} went {Pick(rng, Places)} .",
            ]),
        };
        int middle = 1 + rng.Next(4);
        for (int i = 0; i < middle; i++)
        {
            sentences.Add(Pick(rng, [
                $"{pronoun} found a {Pick(rng, Colors)} {obj} {Pick(rng, Places)} .",
                $"{pronoun} liked to {Pick(rng, Verbs)} with {possessive} {Pick(rng, Friends)} .",
                $"{friend} wanted to {Pick(rng, Verbs)} too .",
                $"the {obj} was {Pick(rng, Colors)} and {Pick(rng, Adjectives)} .",
                $"then the {Pick(rng, Weather)} came , so they went {Pick(rng, Places)} .",
                $"{name} and {friend} {Pick(rng, PastVerbs)} all day .",
                $"{pronoun} asked {friend} , can we {Pick(rng, Verbs)} ?",
                $"{friend} said yes , let us {Pick(rng, Verbs)} !",
                $"{pronoun} did not like the {Pick(rng, Weather)} .",
            ]));
        }
        sentences.Add(goodEnding
            ? $"in the end {name} felt {Pick(rng, GoodFeelings)} and {Pick(rng, PastVerbs)} with {friend} ."
            : $"in the end {name} felt {Pick(rng, BadFeelings)} because the {obj} was lost .");
        return string.Join(' ', sentences);
    }

    private static string Pick(Random rng, string[] options) => options[rng.Next(options.Length)];
}

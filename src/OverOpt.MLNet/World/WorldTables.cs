namespace OverOpt.MLNet.World;

/// <summary>
/// The word lists every story world draws from. A world uses a prefix of each list (see <see cref="StoryWorldOptions"/>),
/// so a tiny world for exact checks and a large one for training share one grammar. Every entry is a single token
/// and no word appears in two lists, so a word alone says which table it came from.
/// </summary>
public static class WorldTables
{
    /// <summary>Kinds of animal a character can be.</summary>
    public static readonly IReadOnlyList<string> Kinds =
    [
        "fox", "owl", "cat", "dog", "bear", "frog", "duck", "rabbit", "mouse", "goat", "hen", "pig", "deer", "wolf", "mole", "otter",
        "badger", "lamb", "seal", "crab", "swan", "toad", "hare", "squirrel",
    ];

    /// <summary>Places: homes of characters, and where things are looked for and found.</summary>
    public static readonly IReadOnlyList<string> Places =
    [
        "barn", "pond", "hill", "woods", "cave", "meadow", "river", "garden", "farm", "lake", "field", "nest", "burrow", "shed",
        "valley", "beach", "orchard", "marsh", "cliff", "forest", "village", "mill", "tower", "bridge", "island", "castle",
        "harbor", "desert", "canyon", "jungle", "glacier", "swamp",
    ];

    /// <summary>Treasures: each character owns one, which it can lose, play with or give away.</summary>
    public static readonly IReadOnlyList<string> Treasures =
    [
        "kite", "drum", "ball", "hat", "book", "bell", "cup", "boat", "coin", "ring", "lamp", "key", "map", "shell", "flute",
        "sock", "scarf", "spoon", "whistle", "basket", "sled", "button", "brush", "mitten", "compass", "trumpet", "lantern",
        "marble", "pebble", "feather", "candle", "ribbon",
    ];

    /// <summary>Foods, in the plural: each character has a favourite, which it picks and counts.</summary>
    public static readonly IReadOnlyList<string> Foods =
    [
        "berries", "apples", "nuts", "plums", "seeds", "pears", "figs", "carrots", "acorns", "cherries", "beans", "grapes",
        "peaches", "lemons", "melons", "olives",
    ];

    /// <summary>Things a character can meet on the way; each character fears one of them.</summary>
    public static readonly IReadOnlyList<string> Things =
    [
        "snake", "spider", "crow", "wasp", "bat", "ghost", "shadow", "rat", "hawk", "beetle", "worm", "moth",
    ];

    /// <summary>Number words, "one" first: the counts stories add and subtract.</summary>
    public static readonly IReadOnlyList<string> Numbers = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>The weather verbs of "then it ... ." and the state each leaves a character in at the story's end.</summary>
    public static readonly IReadOnlyList<(string Verb, string Effect)> Weather = [("rained", "wet"), ("snowed", "cold")];

    /// <summary>Every fixed word of the templates (not the tables, names or pronouns), so that no made-up name collides with one.</summary>
    public static readonly IReadOnlyList<string> TemplateWords =
    [
        "the", "lived", "in", "day", "lost", "went", "to", "see", "picked", "then", "it", "met", "saw", "a", "and", "hid",
        "smiled", "played", "with", "gave", "more", "looked", "ate", "at", "last", "found", "but", "never", "reached", "end",
        "had", "was", "sad", "full", "dropped", ".",
    ];

    /// <summary>A hero's reaction to a thing met: hiding (from a thing feared, or always for a sombre hero) or smiling (a cheer word).</summary>
    public static readonly (string Afraid, string Glad) Reactions = ("hid", "smiled");

    /// <summary>Subject, object and possessive pronouns of a character: index 0 male, 1 female.</summary>
    public static readonly IReadOnlyList<(string Subject, string Object, string Possessive)> Pronouns = [("he", "him", "his"), ("she", "her", "her")];
}

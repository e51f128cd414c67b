using OverOpt.MLNet.Policies;

namespace WorldPilot;

/// <summary>The language-model shapes of the pilot: the six proxy shapes and pi_init's, all at one context.</summary>
internal static class PilotShapes
{
    public const string PiInit = "2x64";

    public static readonly IReadOnlyList<(string Name, GptShape Shape, bool Proxy)> All =
    [
        ("1x4", Shape(1, 4, 2), true),
        ("1x8", Shape(1, 8, 2), true),
        ("2x16", Shape(2, 16, 2), true),
        ("2x32", Shape(2, 32, 4), true),
        (PiInit, Shape(2, 64, 4), false),
        ("3x64", Shape(3, 64, 4), true),
        ("4x96", Shape(4, 96, 4), true),
    ];

    private static GptShape Shape(int layers, int width, int heads) => new() { Layers = layers, ModelDim = width, Heads = heads, Context = 64 };
}

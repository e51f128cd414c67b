using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// The reader's terms as <see cref="OverOpt.MLNet.World.StoryTasteRule.Terms"/> names them (cheer, then each violation
/// kind's cost), read from a <see cref="TasteBreakdown"/>, and whether one is pivotal for a pair: without it the reader
/// would order the pair the other way or tie it (<see cref="OverOpt.MLNet.RewardModels.RuleTermAgreement"/>'s test).
/// </summary>
internal static class TermPivot
{
    public static readonly string[] Names = ["cheer", .. Enum.GetValues<ViolationKind>().Select(k => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(k.ToString()))];

    public static double Value(StoryTaste reader, string name, TasteBreakdown parts)
        => name == "cheer" ? parts.Cheer : -reader.Options.Penalty(Enum.Parse<ViolationKind>(name, ignoreCase: true)) * parts.Count(Enum.Parse<ViolationKind>(name, ignoreCase: true));

    public static bool IsPivotal(StoryTaste reader, string name, TasteBreakdown a, TasteBreakdown b)
    {
        double total = a.Total - b.Total;
        double term = Value(reader, name, a) - Value(reader, name, b);
        return total != 0 && term != 0 && Math.Sign(total - term) != Math.Sign(total);
    }
}

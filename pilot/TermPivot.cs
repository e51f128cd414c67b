using OverOpt.MLNet.RewardModels;
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
    {
        if (name == "cheer")
        {
            return parts.Cheer;
        }
        var kind = Enum.Parse<ViolationKind>(name, ignoreCase: true);
        return -reader.Options.Penalty(kind) * parts.Count(kind);
    }

    public static bool IsPivotal(StoryTaste reader, string name, TasteBreakdown a, TasteBreakdown b)
        => RuleTermAgreement.IsPivotal(a.Total - b.Total, Value(reader, name, a) - Value(reader, name, b));
}

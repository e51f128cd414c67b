using System.Globalization;

namespace WorldPilot;

/// <summary>pi_init's responses of one world holding <paramref name="CheerWords"/> cheer words: how many, and how often and how much they break the state.</summary>
internal sealed record CheerPilingRow(int World, int CheerWords, int Responses, double Share, double Broken, double MeanPenalty)
{
    public const string Header = "world,cheer_words,responses,share,broken,mean_penalty";

    public string ToCsv() => string.Join(',', World, CheerWords, Responses, Format(Share), Format(Broken), Format(MeanPenalty));

    private static string Format(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);
}

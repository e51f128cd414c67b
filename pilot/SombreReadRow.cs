using System.Globalization;

namespace WorldPilot;

/// <summary>
/// One proxy of one sweep task read against the sombre term, on one split of its comparisons, as shares of pairs it
/// orders as the reader does before label noise (a tie counting half): the pairs sombre cheer decides (a proxy blind to
/// the hero gets them wrong), those cheer outside sombre stories decides (a proxy that dislikes cheer everywhere gets
/// them wrong) and the other pairs the reader does not tie. Two references on the first kind: a proxy that had learnt
/// the blind reader exactly (0, or half on its ties) and one that had learnt the reader without its cheer term.
/// </summary>
internal sealed record SombreReadRow(
    int World, int ProxySeed, string Proxy, long Parameters, string Split,
    int PivotalPairs, double SombreAgreement, int WelcomePairs, double WelcomeAgreement, int OtherPairs, double OtherAgreement,
    double BlindAgreement, double CheerlessAgreement, int TrainingComparisons)
{
    public const string Header = "world,proxy_seed,proxy,parameters,split,pivotal_pairs,sombre_agreement,welcome_pairs,welcome_agreement,other_pairs,other_agreement,blind_agreement,cheerless_agreement,training_comparisons";

    public string ToCsv() => string.Join(",", new object[]
    {
        World, ProxySeed, Proxy, Parameters, Split, PivotalPairs, F(SombreAgreement), WelcomePairs, F(WelcomeAgreement), OtherPairs, F(OtherAgreement), F(BlindAgreement), F(CheerlessAgreement), TrainingComparisons,
    });

    public override string ToString()
        => $"world {World} seed {ProxySeed} {Proxy} ({Parameters:N0}, {TrainingComparisons:N0} comparisons): {SombreAgreement:F3} of {PivotalPairs} pairs where sombre cheer decides, {WelcomeAgreement:F3} of {WelcomePairs} where welcome cheer does, {OtherAgreement:F3} of {OtherPairs} others";

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

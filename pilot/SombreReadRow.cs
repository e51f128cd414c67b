using System.Globalization;

namespace WorldPilot;

/// <summary>
/// One proxy of one sweep task read against the sombre term: the pairs of its comparisons (one split) in which the term
/// is pivotal and the share of them the proxy orders as the reader does before label noise (a tie counting half), and
/// the same share over the other pairs the reader does not tie, and what a proxy that had learnt the reader blind to
/// the hero exactly would score on the pivotal pairs (0, or half on the pairs it ties), and one that had learnt the
/// reader without its cheer term (no hero read, right where the other terms point the reader's way). A proxy blind to the hero gets the pivotal pairs wrong.
/// </summary>
internal sealed record SombreReadRow(
    int World, int ProxySeed, string Proxy, long Parameters, string Split, int PivotalPairs, double SombreAgreement, int OtherPairs, double OtherAgreement,
    double BlindAgreement, double CheerlessAgreement)
{
    public const string Header = "world,proxy_seed,proxy,parameters,split,pivotal_pairs,sombre_agreement,other_pairs,other_agreement,blind_agreement,cheerless_agreement";

    public string ToCsv() => string.Join(",", new object[]
    {
        World, ProxySeed, Proxy, Parameters, Split, PivotalPairs, F(SombreAgreement), OtherPairs, F(OtherAgreement), F(BlindAgreement), F(CheerlessAgreement),
    });

    public override string ToString()
        => $"world {World} seed {ProxySeed} {Proxy} ({Parameters:N0}): {SombreAgreement:F3} of {PivotalPairs} pairs where sombre cheer decides, {OtherAgreement:F3} of {OtherPairs} others";

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

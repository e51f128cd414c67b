using System.Globalization;

namespace WorldPilot;

/// <summary>
/// One proxy of one sweep task read against the sombre term: the pairs of its comparisons (one split) in which the term
/// is pivotal and the share of them the proxy orders as the reader does before label noise (a tie counting half), and
/// the same share over the other pairs the reader does not tie. A proxy blind to the hero gets the pivotal pairs wrong.
/// </summary>
internal sealed record SombreReadRow(
    int World, int ProxySeed, string Proxy, long Parameters, string Split, int PivotalPairs, double SombreAgreement, int OtherPairs, double OtherAgreement)
{
    public const string Header = "world,proxy_seed,proxy,parameters,split,pivotal_pairs,sombre_agreement,other_pairs,other_agreement";

    public string ToCsv() => string.Join(",", new object[]
    {
        World, ProxySeed, Proxy, Parameters, Split, PivotalPairs, F(SombreAgreement), OtherPairs, F(OtherAgreement),
    });

    public override string ToString()
        => $"world {World} seed {ProxySeed} {Proxy} ({Parameters:N0}): {SombreAgreement:F3} of {PivotalPairs} pairs where sombre cheer decides, {OtherAgreement:F3} of {OtherPairs} others";

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

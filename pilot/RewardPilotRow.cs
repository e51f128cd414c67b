using System.Globalization;

namespace WorldPilot;

/// <summary>
/// One reward model of the pilot: its shape and seed, validation loss and accuracy on the noisy labels (what the
/// paper reports), its accuracy against the taste's clean order, and that accuracy on the pairs only cheer decides and
/// on those only violations decide (which term the model has learnt).
/// </summary>
internal sealed record RewardPilotRow(
    int World, string Shape, long Parameters, int Seed, int Comparisons, int Epochs, double Seconds,
    double ValidationLoss, double ValidationAccuracy, double CleanAccuracy, double CheerAccuracy, double ViolationAccuracy)
{
    public const string Header = "world,shape,parameters,seed,comparisons,epochs,seconds,validationLoss,validationAccuracy,cleanAccuracy,cheerAccuracy,violationAccuracy";

    public string ToCsv() => string.Join(",", new object[]
    {
        World, Shape, Parameters, Seed, Comparisons, Epochs, F(Seconds), F(ValidationLoss), F(ValidationAccuracy), F(CleanAccuracy), F(CheerAccuracy), F(ViolationAccuracy),
    });

    public static RewardPilotRow Parse(string line)
    {
        var f = line.Split(',');
        return new RewardPilotRow(int.Parse(f[0]), f[1], long.Parse(f[2]), int.Parse(f[3]), int.Parse(f[4]), int.Parse(f[5]), D(f[6]), D(f[7]), D(f[8]), D(f[9]), D(f[10]), D(f[11]));
    }

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}

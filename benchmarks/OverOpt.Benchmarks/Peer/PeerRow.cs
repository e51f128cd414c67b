namespace OverOpt.Benchmarks.Peer;

/// <summary>One path, shape and thread count: both sides' median seconds per unit and their ratio.</summary>
internal sealed record PeerRow(string Path, string Shape, int Threads, string Unit, long ProjectParameters, long PytorchParameters,
    double ProjectSeconds, double PytorchSeconds, int Repeats)
{
    /// <summary>Project speed over PyTorch's: above 1 the project is faster.</summary>
    public double Ratio => PytorchSeconds / ProjectSeconds;

    /// <summary>Both sides time networks of the same size (a mismatch means the twin is not the same model).</summary>
    public bool ParametersMatch => ProjectParameters == PytorchParameters;

    public string Describe() => FormattableString.Invariant(
        $"peer: {Path} {Shape} at {Threads} thread(s): project {PeerCommand.Time(ProjectSeconds)} / {Unit}, PyTorch {PeerCommand.Time(PytorchSeconds)} / {Unit}, ratio {Ratio:F2} ({Repeats} calls each)")
        + (ParametersMatch ? "" : FormattableString.Invariant($"; PARAMETERS DIFFER: project {ProjectParameters}, PyTorch {PytorchParameters}"));
}

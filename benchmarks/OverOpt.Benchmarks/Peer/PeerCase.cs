namespace OverOpt.Benchmarks.Peer;

/// <summary>
/// One path at one shape on the project's side: the benchmark class's own operation (the same call BenchmarkDotNet
/// times), how many units one call is, and the timed network's parameter count, which the Python peer must match.
/// </summary>
internal sealed class PeerCase(string path, string shape, string unit, int unitsPerCall, long parameters, Action call, Action cleanup) : IDisposable
{
    public string Path { get; } = path;
    public string Shape { get; } = shape;
    public string Unit { get; } = unit;
    public int UnitsPerCall { get; } = unitsPerCall;
    public long Parameters { get; } = parameters;
    public Action Call { get; } = call;

    public void Dispose() => cleanup();
}

namespace OverOpt.MLNet.Runtime;

/// <summary>A step of long work, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Stage">What is running, e.g. "pretrain small".</param>
/// <param name="Done">Units finished.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Detail">Latest figures worth showing, e.g. the loss.</param>
public sealed record ProgressUpdate(string Stage, long Done, long Total, string? Detail = null);

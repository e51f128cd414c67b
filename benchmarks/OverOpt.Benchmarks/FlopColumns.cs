using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace OverOpt.Benchmarks;

/// <summary>FLOPs of one operation of a benchmark case (its method and params); null where it has no FLOP count.</summary>
internal delegate double? FlopsPerOperation(BenchmarkCase benchmarkCase);

/// <summary>
/// In-process job (libtorch is already loaded and set up here; a generated child project would rebuild for
/// nothing) with the throughput columns: Op/s, GFLOP/s, the share of the same run's matmul peak, and libtorch's threads.
/// </summary>
internal abstract class FlopConfig : ManualConfig
{
    protected FlopConfig(FlopsPerOperation flops, int warmupCount, int iterationCount)
    {
        // A PPO step on a loaded machine outlasts the in-process toolchain's default limit of 5 minutes per case.
        var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: true);
        AddJob(Job.Default.WithToolchain(toolchain).WithWarmupCount(warmupCount).WithIterationCount(iterationCount));
        AddColumn(StatisticColumn.OperationsPerSecond, new GflopsColumn(flops), new PeakShareColumn(flops));
        AddColumn(new TagColumn("Threads", _ => BenchmarkThreads.Count.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The case's value of the [Params] property <paramref name="name"/>.</summary>
    public static string Param(BenchmarkCase benchmarkCase, string name) => (string)benchmarkCase.Parameters[name];
}

/// <summary>Achieved GFLOP/s: FLOPs of one operation over the mean time of one operation (FLOP per ns is GFLOP/s).</summary>
internal sealed class GflopsColumn(FlopsPerOperation flops) : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Achieved GFLOP/s: the FLOPs of one operation (TransformerFlops; matmul 2mnk) / the mean time of one operation";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        => Of(summary, benchmarkCase, flops) is { } value ? value.ToString("F2", style.CultureInfo) : "-";

    /// <summary>GFLOP/s of <paramref name="benchmarkCase"/> in <paramref name="summary"/>; null without a result or a FLOP count.</summary>
    public static double? Of(Summary summary, BenchmarkCase benchmarkCase, FlopsPerOperation flops)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return nanoseconds is > 0 && flops(benchmarkCase) is { } count ? count / nanoseconds : null;
    }
}

/// <summary>
/// A case's GFLOP/s over that of the matmul peak (<see cref="PeakMatmul"/>) of the same class in the same run: the
/// one with the same params where there is one, else any.
/// </summary>
internal sealed class PeakShareColumn(FlopsPerOperation flops) : IColumn
{
    public string Id => nameof(PeakShareColumn);
    public string ColumnName => "OfPeak";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "GFLOP/s over the GFLOP/s of the 512x512x512 sgemm (Matmul) measured in the same run";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var peaks = summary.BenchmarksCases
            .Where(c => c.Descriptor.Type == benchmarkCase.Descriptor.Type && c.Descriptor.WorkloadMethod.Name == PeakMatmul.MethodName)
            .OrderBy(c => c.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo ? 0 : 1);
        var peak = peaks.Select(c => GflopsColumn.Of(summary, c, flops)).FirstOrDefault(g => g is not null);
        var value = GflopsColumn.Of(summary, benchmarkCase, flops);
        return value is { } achieved && peak is { } reference ? (achieved / reference).ToString("F3", style.CultureInfo) : "-";
    }
}

using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Curves;

/// <summary>The short names the tables write for <see cref="OptimizationMethod"/> (<c>bon</c>, <c>ppo</c>, <c>daa</c>).</summary>
public static class OptimizationMethodLabels
{
    /// <summary><c>bon</c>, <c>ppo</c> or <c>daa</c>.</summary>
    public static string Label(this OptimizationMethod method) => method switch
    {
        OptimizationMethod.BestOfN => "bon",
        OptimizationMethod.Ppo => "ppo",
        OptimizationMethod.DirectAlignment => "daa",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>The method a table's <c>method</c> cell names.</summary>
    public static OptimizationMethod Parse(string label) => label switch
    {
        "bon" => OptimizationMethod.BestOfN,
        "ppo" => OptimizationMethod.Ppo,
        "daa" => OptimizationMethod.DirectAlignment,
        _ => throw new OverOptConfigurationException($"method '{label}' is not a curve's method.", "method", "use 'bon' (best-of-n), 'ppo' or 'daa' (direct alignment)."),
    };
}

using System.Reflection;
using TorchSharp;

namespace OverOpt.Cli.Tests;

/// <summary>
/// TorchSharp 0.107 hands a Scalar's native handle to libtorch without keeping the Scalar alive, so a Scalar made
/// implicitly (a number in a tensor operator, the alpha of every add, TorchSharp's own optimizers) can be freed by the
/// finalizer thread mid-call when another thread collects: the crash of jobs run side by side. The compiled code of
/// the library, the experiments and the command line must never make one that way (see OverOpt.MLNet.Torch.TensorMath).
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class ScalarLifetimeTests
{
    private static readonly Assembly TorchSharpAssembly = typeof(torch).Assembly;

    private static readonly Assembly Library = typeof(OverOpt.MLNet.Policies.Policy).Assembly;

    private static readonly Assembly[] Ours = [Library, typeof(OverOpt.Experiments.Pipelines.PipelineRunner).Assembly, typeof(OverOpt.Cli.Program).Assembly];

    private readonly Dictionary<MethodBase, string?> _verdicts = [];

    [Fact]
    public void NoCallLeavesAScalarToTheFinalizer()
    {
        var problems = new SortedSet<string>();
        var usedTypes = new HashSet<Type>();
        foreach (var method in Ours.SelectMany(IlCalls.MethodsOf))
        {
            foreach (var callee in IlCalls.Of(method))
            {
                if (callee.Module.Assembly != TorchSharpAssembly)
                {
                    continue;
                }
                NoteUsedType(usedTypes, callee is MethodInfo info ? info.ReturnType : callee.DeclaringType);
                string? why = IsImplicitScalar(callee) ? "converts a number to a Scalar implicitly" : MakesScalars(callee, depth: 0);
                if (why is not null)
                {
                    problems.Add($"{method.DeclaringType?.FullName}.{method.Name} calls {Describe(callee)}: {why}");
                }
            }
        }
        foreach (var type in usedTypes)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => m.IsVirtual))
            {
                if (MakesScalars(method, depth: 0) is { } why)
                {
                    problems.Add($"TorchSharp's {type.Name}.{method.Name}, reached by virtual dispatch on a type this code uses: {why}");
                }
            }
        }

        Assert.True(problems.Count == 0, "Scalars left to the finalizer (use TensorMath or hold an explicit Scalar with using):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheScanSeesAnImplicitScalarAndAnAddWithoutAlpha()
    {
        // The scan's own check: a method written the usual TorchSharp way must be caught.
        var callees = IlCalls.Of(typeof(ScalarLifetimeTests).GetMethod(nameof(UsualTorchSharp), BindingFlags.NonPublic | BindingFlags.Static)!).ToList();

        Assert.Contains(callees, IsImplicitScalar);
        Assert.Contains(callees, c => c.Name == "op_Addition" && MakesScalars(c, 0) is not null);
        var tensorMath = Library.GetType("OverOpt.MLNet.Torch.TensorMath", throwOnError: true)!;
        Assert.Null(MakesScalars(tensorMath.GetMethod("Plus", [typeof(torch.Tensor), typeof(torch.Tensor)])!, 0));
    }

    private static torch.Tensor UsualTorchSharp(torch.Tensor a, torch.Tensor b) => (a + b).clamp_min(0.5);

    private static bool IsImplicitScalar(MethodBase method)
        => method.Name == "op_Implicit" && method is MethodInfo { ReturnType: var type } && type == typeof(Scalar);

    private static bool MakesScalarItself(MethodBase method)
        => IsImplicitScalar(method) || (method.Name == "ToScalar" && method.DeclaringType == typeof(ScalarExtensionMethods));

    /// <summary>Why <paramref name="method"/> (a TorchSharp method) makes a Scalar of its own, following its calls into TorchSharp; null when it does not.</summary>
    private string? MakesScalars(MethodBase method, int depth)
    {
        if (_verdicts.TryGetValue(method, out var known))
        {
            return known;
        }
        _verdicts[method] = null;
        string? verdict = null;
        if (depth < 10)
        {
            foreach (var callee in IlCalls.Of(method))
            {
                if (MakesScalarItself(callee))
                {
                    verdict = $"{Describe(method)} makes a Scalar";
                    break;
                }
                if (callee.Module.Assembly == TorchSharpAssembly && MakesScalars(callee, depth + 1) is { } inner)
                {
                    verdict = inner;
                    break;
                }
            }
        }
        _verdicts[method] = verdict;
        return verdict;
    }

    private static void NoteUsedType(HashSet<Type> used, Type? type)
    {
        for (; type is not null && type.Assembly == TorchSharpAssembly; type = type.BaseType)
        {
            used.Add(type.IsGenericType ? type.GetGenericTypeDefinition() : type);
        }
    }

    private static string Describe(MethodBase method)
        => $"{method.DeclaringType?.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";
}

using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Runtime;

/// <summary>
/// Tensor arithmetic with .NET numbers whose <see cref="Scalar"/>s outlive the native call. TorchSharp 0.107 passes a
/// Scalar's handle to libtorch without keeping the Scalar alive, and makes one implicitly for every number in an
/// operator (<c>x * 0.5</c>, <c>x - 1</c>) and for the alpha of every <c>add</c> (<c>a + b</c> of two tensors too).
/// When another thread triggers a garbage collection during that call, the finalizer thread frees the Scalar while
/// libtorch reads it: "Unknown scalar type" or "Expected false to be true ... toFloat". So this library never lets
/// TorchSharp make a Scalar: each method here holds its own until libtorch returns (a test scans the compiled code
/// for any call that would).
/// </summary>
internal static class TensorMath
{
    // TorchSharp's own default alpha (the integer 1), held for the process's lifetime so it is never finalized.
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="x"/> + <paramref name="y"/>.</summary>
    public static Tensor Plus(this Tensor x, Tensor y) => x.add(y, One);

    /// <summary><paramref name="x"/> += <paramref name="y"/>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor x, Tensor y) => x.add_(y, One);

    /// <summary><paramref name="x"/> + <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor x, double value)
    {
        using var scalar = value.ToScalar();
        return x.add(scalar, One);
    }

    /// <summary><paramref name="x"/> += <paramref name="value"/>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor x, double value)
    {
        using var scalar = value.ToScalar();
        return x.add_(scalar, One);
    }

    /// <summary><paramref name="x"/> - <paramref name="value"/>.</summary>
    public static Tensor Minus(this Tensor x, double value)
    {
        using var scalar = value.ToScalar();
        return x.sub(scalar);
    }

    /// <summary><paramref name="x"/> - <paramref name="value"/> with an integer value (keeps an integer tensor integer).</summary>
    public static Tensor Minus(this Tensor x, long value)
    {
        using var scalar = value.ToScalar();
        return x.sub(scalar);
    }

    /// <summary><paramref name="x"/> * <paramref name="factor"/>.</summary>
    public static Tensor Times(this Tensor x, double factor)
    {
        using var scalar = factor.ToScalar();
        return x.mul(scalar);
    }

    /// <summary><paramref name="x"/> *= <paramref name="factor"/>, in place.</summary>
    public static Tensor TimesInPlace(this Tensor x, double factor)
    {
        using var scalar = factor.ToScalar();
        return x.mul_(scalar);
    }

    /// <summary><paramref name="x"/> / <paramref name="divisor"/>.</summary>
    public static Tensor DividedBy(this Tensor x, double divisor)
    {
        using var scalar = divisor.ToScalar();
        return x.div(scalar);
    }

    /// <summary><paramref name="x"/> squared, element-wise (libtorch's pow with exponent 2, as <c>square()</c>).</summary>
    public static Tensor Squared(this Tensor x)
    {
        using var two = 2.ToScalar();
        return x.pow(two);
    }

    /// <summary><paramref name="x"/> clamped to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor ClampedTo(this Tensor x, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return x.clamp(low, high);
    }

    /// <summary><paramref name="x"/> with every element above <paramref name="max"/> set to it (integer bound).</summary>
    public static Tensor ClampedAbove(this Tensor x, long max)
    {
        using var high = max.ToScalar();
        return x.clamp_max(high);
    }

    /// <summary><paramref name="x"/> with every element below <paramref name="min"/> set to it.</summary>
    public static Tensor ClampedBelow(this Tensor x, double min)
    {
        using var low = min.ToScalar();
        return x.clamp_min(low);
    }

    /// <summary>Mask of <paramref name="x"/> &gt; <paramref name="value"/>.</summary>
    public static Tensor GreaterThan(this Tensor x, double value)
    {
        using var scalar = value.ToScalar();
        return x.gt(scalar);
    }

    /// <summary>Fills <paramref name="x"/> with <paramref name="value"/>, in place.</summary>
    public static Tensor FillWith(this Tensor x, double value)
    {
        using var scalar = value.ToScalar();
        return x.fill_(scalar);
    }

    /// <summary>log(1 + exp(x)) element-wise: libtorch's softplus with beta 1 and threshold 20, TorchSharp's defaults.</summary>
    public static Tensor Softplus(this Tensor x)
    {
        using var beta = 1.0.ToScalar();
        using var threshold = 20.0.ToScalar();
        return SoftplusKernel.OfScalars(x, beta, threshold);
    }

    /// <summary>The integers start, start + 1, ..., end - 1 as an int64 tensor on <paramref name="device"/>.</summary>
    public static Tensor Range(long start, long end, Device device)
    {
        using var from = start.ToScalar();
        using var to = end.ToScalar();
        using var step = 1L.ToScalar();
        return arange(from, to, step, ScalarType.Int64, device);
    }

    private static class SoftplusKernel
    {
        // TorchSharp's only softplus takes doubles and makes their Scalars itself in a private method, the one that calls
        // libtorch; that method is called here with Scalars held by the caller. Its numbers are libtorch's own, where
        // another formula (log1p(exp(x)), -logsigmoid) would round differently and move every trained proxy.
        public static readonly Func<Tensor, Scalar, Scalar, Tensor> OfScalars =
            (typeof(Tensor).GetMethod("softplus1", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, [typeof(Scalar), typeof(Scalar)])
                ?? throw new MissingMethodException("TorchSharp's Tensor.softplus1(Scalar, Scalar) is gone: this TorchSharp is not 0.107; give TensorMath.Softplus a public Scalar form."))
            .CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>();
    }
}

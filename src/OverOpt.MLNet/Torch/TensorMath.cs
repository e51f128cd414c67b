using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Torch;

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

    // The alpha of a subtraction written as an add, held likewise.
    private static readonly Scalar MinusOne = (-1).ToScalar();

    /// <summary><paramref name="x"/> + <paramref name="y"/>.</summary>
    public static Tensor Plus(this Tensor x, Tensor y) => x.add(y, One);

    /// <summary><paramref name="x"/> += <paramref name="y"/>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor x, Tensor y) => x.add_(y, One);

    /// <summary><paramref name="x"/> - <paramref name="y"/>.</summary>
    public static Tensor Minus(this Tensor x, Tensor y) => x.add(y, MinusOne);

    /// <summary><paramref name="x"/> + <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor x, double value) => With(value.ToScalar(), s => x.add(s, One));

    /// <summary><paramref name="x"/> += <paramref name="value"/>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor x, double value) => With(value.ToScalar(), s => x.add_(s, One));

    /// <summary><paramref name="x"/> - <paramref name="value"/>.</summary>
    public static Tensor Minus(this Tensor x, double value) => With(value.ToScalar(), x.sub);

    /// <summary><paramref name="x"/> - <paramref name="value"/> with an integer value (keeps an integer tensor integer).</summary>
    public static Tensor Minus(this Tensor x, long value) => With(value.ToScalar(), x.sub);

    /// <summary><paramref name="x"/> * <paramref name="factor"/>.</summary>
    public static Tensor Times(this Tensor x, double factor) => With(factor.ToScalar(), x.mul);

    /// <summary><paramref name="x"/> *= <paramref name="factor"/>, in place.</summary>
    public static Tensor TimesInPlace(this Tensor x, double factor) => With(factor.ToScalar(), x.mul_);

    /// <summary><paramref name="x"/> / <paramref name="divisor"/>.</summary>
    public static Tensor DividedBy(this Tensor x, double divisor) => With(divisor.ToScalar(), s => x.div(s));

    /// <summary><paramref name="x"/> squared, element-wise (libtorch's pow with exponent 2, as <c>square()</c>).</summary>
    public static Tensor Squared(this Tensor x) => With(2.ToScalar(), x.pow);

    /// <summary><paramref name="x"/> clamped to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor ClampedTo(this Tensor x, double min, double max) => With(min.ToScalar(), low => With(max.ToScalar(), high => x.clamp(low, high)));

    /// <summary><paramref name="x"/> with every element above <paramref name="max"/> set to it (integer bound).</summary>
    public static Tensor ClampedAbove(this Tensor x, long max) => With(max.ToScalar(), x.clamp_max);

    /// <summary><paramref name="x"/> with every element below <paramref name="min"/> set to it.</summary>
    public static Tensor ClampedBelow(this Tensor x, double min) => With(min.ToScalar(), x.clamp_min);

    /// <summary>Mask of <paramref name="x"/> &gt; <paramref name="value"/>.</summary>
    public static Tensor GreaterThan(this Tensor x, double value) => With(value.ToScalar(), x.gt);

    /// <summary>Fills <paramref name="x"/> with <paramref name="value"/>, in place.</summary>
    public static Tensor FillWith(this Tensor x, double value) => With(value.ToScalar(), x.fill_);

    /// <summary>log(1 + exp(x)) element-wise: libtorch's softplus with beta 1 and threshold 20, TorchSharp's defaults.</summary>
    public static Tensor Softplus(this Tensor x) => With(1.0.ToScalar(), beta => With(20.0.ToScalar(), threshold => SoftplusKernel.OfScalars(x, beta, threshold)));

    /// <summary>The integers start, start + 1, ..., end - 1 as an int64 tensor on <paramref name="device"/>.</summary>
    public static Tensor Range(long start, long end, Device device)
        => With(start.ToScalar(), from => With(end.ToScalar(), to => arange(from, to, One, ScalarType.Int64, device)));

    /// <summary><paramref name="operation"/> on <paramref name="scalar"/>, which is disposed after it returns: that call is what keeps it alive during libtorch's.</summary>
    private static Tensor With(Scalar scalar, Func<Scalar, Tensor> operation)
    {
        using (scalar)
        {
            return operation(scalar);
        }
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

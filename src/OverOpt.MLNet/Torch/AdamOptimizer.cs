using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Torch;

/// <summary>
/// Adam, with decoupled weight decay (AdamW) when <see cref="WeightDecay"/> is above 0: the update TorchSharp's
/// <c>optim.Adam</c> and <c>optim.AdamW</c> make, operation for operation and so to the last bit, but with every
/// Scalar held until libtorch returns. TorchSharp's optimizers make theirs implicitly, which can crash a job that runs
/// beside another (see <see cref="TensorMath"/>).
/// </summary>
internal sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private long _steps;

    /// <summary>An optimizer of <paramref name="parameters"/> with zeroed moments.</summary>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, double epsilon = 1e-8, double beta1 = 0.9, double beta2 = 0.999)
    {
        _parameters = parameters.ToArray();
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        _epsilon = epsilon;
        _beta1 = beta1;
        _beta2 = beta2;
        using var noGrad = no_grad();
        _firstMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The rate of the next <see cref="Step"/> (a schedule sets it before each).</summary>
    public double LearningRate { get; set; }

    /// <summary>Decoupled weight decay: each step first scales every parameter by 1 - rate * decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Zeroes every parameter's gradient (as TorchSharp's optimizers do, rather than dropping it).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var gradient = parameter.grad;
            gradient?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        _steps++;
        double biasCorrection1 = 1 - Math.Pow(_beta1, _steps);
        double biasCorrection2 = 1 - Math.Pow(_beta2, _steps);
        using var beta1 = _beta1.ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var stepSize = (-(LearningRate / biasCorrection1)).ToScalar();
        using var decay = (1 - LearningRate * WeightDecay).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }
            if (WeightDecay != 0)
            {
                parameter.mul_(decay);
            }
            _firstMoments[i].mul_(beta1).add_(gradient, oneMinusBeta1);
            _secondMoments[i].mul_(beta2).addcmul_(gradient, gradient, oneMinusBeta2);
            var denominator = _secondMoments[i].sqrt().DividedBy(Math.Sqrt(biasCorrection2)).PlusInPlace(_epsilon);
            parameter.addcdiv_(_firstMoments[i], denominator, stepSize);
        }
    }

    /// <summary>Writes the step count and both moments (a checkpoint's optimizer part).</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(_parameters.Length);
        writer.Write(_steps);
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Save(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote for the same parameters; throws <see cref="InvalidDataException"/> when it does not fit them.</summary>
    public void Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        int count = reader.ReadInt32();
        if (count != _parameters.Length)
        {
            throw new InvalidDataException($"the optimizer state holds {count} parameters where the model has {_parameters.Length}.");
        }
        long steps = reader.ReadInt64();
        try
        {
            foreach (var moment in _firstMoments.Concat(_secondMoments))
            {
                moment.Load(reader);
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"the optimizer state does not fit the model: {e.Message}", e);
        }
        _steps = steps;
    }

    /// <summary>Frees the moments.</summary>
    public void Dispose()
    {
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}

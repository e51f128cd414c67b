using OverOpt.MLNet.Runtime;

namespace OverOpt.Testing;

/// <summary>
/// Stops a run the way a kill would, abruptly and in the middle of its work: it throws <see cref="KilledByTestException"/>
/// from the progress line of <paramref name="step"/> (of <paramref name="stage"/> alone where one is named).
/// </summary>
public sealed class KillAtProgress(int step, string? stage = null) : IProgress<ProgressUpdate>
{
    public void Report(ProgressUpdate value)
    {
        if (value.Done == step && (stage is null || value.Stage == stage))
        {
            throw new KilledByTestException();
        }
    }
}

/// <summary>What <see cref="KillAtProgress"/> throws: no code under test catches it.</summary>
public sealed class KilledByTestException : Exception;

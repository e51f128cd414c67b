using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace OverOpt.Testing;

/// <summary>The warnings an ML.NET context logs (<see cref="MLContext.Log"/>) while a piece of work runs.</summary>
public static class MlWarnings
{
    /// <summary>What <paramref name="work"/> returns, and the warnings <paramref name="ml"/> logged meanwhile.</summary>
    public static (T Result, IReadOnlyList<string> Warnings) During<T>(MLContext ml, Func<T> work)
    {
        var warnings = new List<string>();
        EventHandler<LoggingEventArgs> listen = (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning)
            {
                lock (warnings)
                {
                    warnings.Add(e.Message);
                }
            }
        };
        ml.Log += listen;
        try
        {
            return (work(), warnings);
        }
        finally
        {
            ml.Log -= listen;
        }
    }
}

using System.CommandLine;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.Cli;

/// <summary>Options every compute command takes.</summary>
internal static class CommonOptions
{
    public static Option<string> Device() => new("--device")
    {
        Description = "cpu (default), cuda or cuda:N. A GPU is optional, never required.",
        DefaultValueFactory = _ => "cpu",
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "libtorch threads (0: one per core). Numbers are reproducible at a fixed thread count; a pipeline's proxies and PPO runs run side by side at its threadsPerJob each, as many as these threads hold.",
        DefaultValueFactory = _ => 0,
    };

    public static Option<string> Cache() => new("--cache")
    {
        Description = "Artifact cache folder; built policies and reward models are reused from it by the content of their configuration.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OVEROPT_CACHE") ?? Path.Combine(".cache", "overopt"),
    };

    public static Option<int> Seed() => new("--seed")
    {
        Description = "Seed of every random choice.",
        DefaultValueFactory = _ => 1,
    };

    public static Device Prepare(ParseResult parse, Option<string> device, Option<int> threads)
    {
        TorchRuntime.SetThreads(parse.GetValue(threads));
        return TorchRuntime.ResolveDevice(parse.GetValue(device)!, "--device");
    }
}

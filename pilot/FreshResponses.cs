using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Sampling;
using TorchSharp;

namespace WorldPilot;

/// <summary>
/// pi_init's fresh responses to every held-out prompt of a task's split, on which <c>gold-terms</c> and <c>gold-swaps</c>
/// read gold: one seed gives the same responses, so golds of one pi_init are read on the very same ones.
/// </summary>
internal static class FreshResponses
{
    public static (int[] Prompt, int[] Response)[] Sample(SweepTask task, Policy piInit, int samplesPerPrompt, int seed)
    {
        var prompts = task.Prompts(piInit).HeldOut;
        Console.WriteLine($"sampling {samplesPerPrompt} responses to each of {prompts.Count} held-out prompts from {Path.GetFileName(task.PiInitFile())} (seed {seed})");
        using var generator = new torch.Generator((ulong)seed, piInit.Device);
        return [.. PolicySampler.SampleAll(piInit.Model, piInit.Model, prompts, samplesPerPrompt, task.Pipeline.Sampling.ToBulkOptions(), generator)
            .Select(s => (s.Prompt, s.Response))];
    }
}

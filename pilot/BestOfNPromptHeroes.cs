using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// How many of a task's best-of-n prompts have a hero of a sombre kind: only there can the sombre term make a proxy's
/// top picks wrong, so a world judged on few prompts inherits their draw. The prompts are rebuilt as the task built them
/// (the first <c>bestOfN.prompts</c> held-out prompts of its corpus, with pi_init's tokenizer from policies.csv).
/// </summary>
internal static class BestOfNPromptHeroes
{
    /// <summary>Sombre heroes and prompts: best-of-n's, all held out, all for training.</summary>
    public sealed record PromptHeroes(int Sombre, int Prompts, int SombreHeldOut, int HeldOut, int SombreTrain, int Train)
    {
        public override string ToString()
            => $"{Sombre} of {Prompts} best-of-n prompts, {SombreHeldOut} of {HeldOut} held out ({(double)SombreHeldOut / HeldOut:P0}), {SombreTrain} of {Train} for training ({(double)SombreTrain / Train:P0})";
    }

    /// <summary>The sombre heroes among the best-of-n prompts, among all the held-out prompts they are the first of, and among the training prompts the comparisons are drawn from.</summary>
    public static PromptHeroes Count(SweepTask task, StoryTaste reader)
    {
        using var policy = task.LoadPiInit();
        var split = task.Prompts(policy);
        var heldOut = split.HeldOut;
        bool Sombre(int[] prompt) => SombreCheerShares.HasSombreHero(reader, prompt.Select(policy.Tokenizer.TokenText).ToArray());
        var chosen = heldOut.Take(task.Pipeline.BestOfN.Prompts).ToArray();
        return new PromptHeroes(chosen.Count(Sombre), chosen.Length, heldOut.Count(Sombre), heldOut.Count, split.Train.Count(Sombre), split.Train.Count);
    }
}

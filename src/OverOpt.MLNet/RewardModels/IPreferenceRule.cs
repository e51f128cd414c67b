namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A world's exact taste over token ids: what the gold reward model is trained to reproduce and what <c>rule_score</c>
/// in the curves reports. Each world has its own (<see cref="GoldPreference"/> for "tinytales",
/// <c>World.StoryTasteRule</c> for storyworld-1); the gold trainer and the pipelines see only this.
/// </summary>
public interface IPreferenceRule
{
    /// <summary>What identifies the rule and its world in cache keys: it changes whenever a score could.</summary>
    string Key { get; }

    /// <summary>One paragraph for reports: what the rule rewards and what it punishes.</summary>
    string Summary { get; }

    /// <summary>The words the gold trainer's edits put into pi_init's responses to show gold what optimizers write.</summary>
    EditVocabulary Edits { get; }

    /// <summary>The score of <paramref name="response"/> read after <paramref name="prompt"/>, higher preferred.</summary>
    double Score(IReadOnlyList<int> prompt, IReadOnlyList<int> response);

    /// <summary>
    /// The score's parts by name (the same names for every response; their sum is <see cref="Score"/>), so that a
    /// model of the rule can be judged term by term.
    /// </summary>
    IReadOnlyDictionary<string, double> Terms(IReadOnlyList<int> prompt, IReadOnlyList<int> response);
}

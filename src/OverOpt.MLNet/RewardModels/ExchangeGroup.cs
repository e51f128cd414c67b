namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A named group of exchangeable words for a gold trainer's edited copies (<see cref="EditVocabulary.Exchanges"/>): each
/// set holds words that fill one slot of a sentence and state different facts there, so that one put in the place of
/// another keeps the sentence's grammar and breaks (or mends) one fact the rest of the text set up.
/// </summary>
/// <param name="Name">How a trainer's options name the group (e.g. <c>pronouns</c>).</param>
/// <param name="Sets">
/// Words that stand for one another; a word in several sets (English "her", object and possessive) is exchanged for the
/// others of all of them.
/// </param>
/// <param name="IsDefault">Whether the group is used where the options name no groups.</param>
public sealed record ExchangeGroup(string Name, IReadOnlyList<IReadOnlyList<string>> Sets, bool IsDefault = true);

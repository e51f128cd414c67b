namespace OverOpt.MLNet.World;

/// <summary>
/// What the grammar (<see cref="StoryScript"/>) writes with: at each token it offers a <see cref="TokenChoice"/>
/// and the pen says which option the story takes. A sampling pen draws it, a reading pen takes it from a text, an
/// enumerating pen walks every option in turn; the grammar is written once and serves all three.
/// </summary>
public interface IStoryPen
{
    /// <summary>Takes one option of <paramref name="choice"/> and returns its index.</summary>
    /// <param name="choice">The distribution of the next token given everything written so far.</param>
    /// <param name="role">What decides the token: <see cref="TokenRole.Free"/> whenever the choice has more than one option.</param>
    int Write(TokenChoice choice, TokenRole role);
}

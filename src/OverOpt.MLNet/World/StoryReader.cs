using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.World;

/// <summary>
/// Reads any token sequence of the story world (a prompt and a model's response, or a corpus line) sentence by
/// sentence against the templates, rebuilds each story's state, and lists every violation of it (see
/// <see cref="ViolationKind"/>). Unlike <see cref="ExactStoryScorer"/> it keeps reading past a wrong word, so it can
/// say what kind of mistake a sample makes. Pronouns are judged by the template's referent (the hero, except the
/// possessive of a character met); an end token closes
/// a story (its unresolved goal and missing effects are judged there) and begins the next. A sentence cut short at
/// the end of the text is judged as far as it goes, once its words say which template it follows.
/// </summary>
public sealed class StoryReader
{
    private static readonly HashSet<string> Marks = new(StringComparer.Ordinal) { ".", "!", "?" };
    private readonly StoryWorld _world;

    /// <summary>A reader of stories of <paramref name="world"/>, judging them by its facts.</summary>
    public StoryReader(StoryWorld world) => _world = world;

    /// <summary>Reads a corpus line (tokens separated by spaces) as one whole story: begin token, the line, end token.</summary>
    public StoryReading ReadStory(string line)
        => Read(new[] { StoryScript.EndToken }.Concat(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Append(StoryScript.EndToken).ToArray());

    /// <summary>Reads token ids of <paramref name="tokenizer"/> (e.g. a prompt followed by a response).</summary>
    public StoryReading Read(WordTokenizer tokenizer, IEnumerable<int> ids) => Read(ids.Select(tokenizer.TokenText).ToArray());

    /// <summary>Reads <paramref name="tokens"/>; positions in the result index this list.</summary>
    public StoryReading Read(IReadOnlyList<string> tokens)
    {
        var stories = new List<ReadStory>();
        var violations = new List<StoryViolation>();
        ReadStory? story = null;
        var words = new List<string>();
        int sentenceStart = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (token == StoryScript.EndToken)
            {
                if (story is not null)
                {
                    if (words.Count > 0)
                    {
                        violations.Add(new StoryViolation(ViolationKind.Structure, i, "the story ends mid-sentence"));
                    }
                    Finish(story, i, violations);
                }
                story = new ReadStory(i + 1);
                stories.Add(story);
                words.Clear();
                sentenceStart = i + 1;
                continue;
            }
            if (story is null)
            {
                story = new ReadStory(i);
                stories.Add(story);
                sentenceStart = i;
            }
            if (Marks.Contains(token))
            {
                var match = SentencePatterns.Match(_world, words, sentenceStart);
                if (match is null)
                {
                    violations.Add(new StoryViolation(ViolationKind.Structure, i, $"no template writes '{string.Join(' ', words)}'"));
                }
                else
                {
                    new SentenceJudge(_world, story, match, i, violations).Judge();
                }
                words.Clear();
                sentenceStart = i + 1;
            }
            else
            {
                words.Add(token);
            }
        }
        if (story is not null && words.Count > 0)
        {
            JudgeCutShort(story, words, sentenceStart, violations);
        }
        return new StoryReading(stories, violations.OrderBy(v => v.Position).ToArray());
    }

    private void JudgeCutShort(ReadStory story, List<string> words, int start, List<StoryViolation> violations)
    {
        int last = start + words.Count - 1;
        var candidates = SentencePatterns.MatchPrefix(_world, words, start);
        if (candidates.Count == 0)
        {
            violations.Add(new StoryViolation(ViolationKind.Structure, last, $"no template begins '{string.Join(' ', words)}'"));
        }
        else if (candidates.Count == 1)
        {
            new SentenceJudge(_world, story, candidates[0], last, violations).Judge();
        }
        // Several templates begin this way: the words do not yet say which sentence it is, so there is nothing to judge.
    }

    private static void Finish(ReadStory story, int end, List<StoryViolation> violations)
    {
        story.Ended = true;
        if (story.Phase < StoryPhase.Middle)
        {
            violations.Add(new StoryViolation(ViolationKind.Structure, end, $"the story ends at its {story.Phase}"));
            return;
        }
        if (story.Outcome == StoryOutcome.Open)
        {
            violations.Add(new StoryViolation(ViolationKind.GoalHanging, end, $"the {story.Goal} goal is never resolved"));
        }
        var owed = StoryEffects.Owed(story.Outcome == StoryOutcome.Failure, story.Weather, story.Events.Contains(SentenceKind.Eat));
        foreach (var missing in owed.Where(e => !story.Feelings.Contains(e)))
        {
            violations.Add(new StoryViolation(ViolationKind.Effect, end, $"never '{missing}', which an earlier sentence caused"));
        }
    }
}

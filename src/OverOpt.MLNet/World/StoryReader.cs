using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.World;

/// <summary>
/// Reads any token sequence of the story world (a prompt and a model's response, or a corpus line) sentence by
/// sentence against the templates, rebuilds each story's state, and lists every violation of it (see
/// <see cref="ViolationKind"/>). Unlike <see cref="ExactStoryScorer"/> it keeps reading past a wrong word, so it can
/// say what kind of mistake a sample makes. Every pronoun refers to the hero, as in the grammar; an end token closes
/// a story (its unresolved goal and missing effects are judged there) and begins the next.
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
            CheckPronoun(story, token, i, violations);
            if (Marks.Contains(token))
            {
                Sentence(story, words, sentenceStart, i, violations);
                words.Clear();
                sentenceStart = i + 1;
            }
            else
            {
                words.Add(token);
            }
        }
        return new StoryReading(stories, violations.OrderBy(v => v.Position).ToArray());
    }

    private static void CheckPronoun(ReadStory story, string token, int position, List<StoryViolation> violations)
    {
        if (story.Hero is not { } hero)
        {
            return;
        }
        for (int gender = 0; gender < WorldTables.Pronouns.Count; gender++)
        {
            var (subject, obj, possessive) = WorldTables.Pronouns[gender];
            if ((token == subject || token == obj || token == possessive) && !IsPronounOf(hero, token))
            {
                violations.Add(new StoryViolation(ViolationKind.Pronoun, position, $"'{token}' for {hero.Name}, who is {StoryWorld.Subject(hero)}"));
                return;
            }
        }
    }

    private static bool IsPronounOf(Character hero, string token)
    {
        var (subject, obj, possessive) = WorldTables.Pronouns[hero.Gender];
        return token == subject || token == obj || token == possessive;
    }

    private void Sentence(ReadStory story, List<string> words, int start, int mark, List<StoryViolation> violations)
    {
        void Add(ViolationKind kind, int position, string detail) => violations.Add(new StoryViolation(kind, position, detail));
        var match = SentencePatterns.Match(_world, words, start);
        if (match is null)
        {
            Add(ViolationKind.Structure, mark, $"no template writes '{string.Join(' ', words)}'");
            return;
        }
        var expected = match.Kind switch
        {
            SentenceKind.Intro => StoryPhase.Intro,
            SentenceKind.GoalFind or SentenceKind.GoalVisit or SentenceKind.GoalGather => StoryPhase.Goal,
            SentenceKind.Feeling => StoryPhase.Effects,
            _ => StoryPhase.Middle,
        };
        if (expected != story.Phase)
        {
            Add(ViolationKind.Structure, mark, $"a {match.Kind} sentence where the story is at its {story.Phase}");
            return;
        }
        if (match.Kind == SentenceKind.Intro)
        {
            ReadIntro(story, match, Add);
            return;
        }
        if (story.Hero is not { } hero)
        {
            return;
        }
        switch (match.Kind)
        {
            case SentenceKind.GoalFind or SentenceKind.GoalVisit or SentenceKind.GoalGather:
                ReadGoal(story, hero, match, Add);
                break;
            case SentenceKind.Found or SentenceKind.NotFound or SentenceKind.Reached or SentenceKind.NotReached or SentenceKind.Total:
                ReadEnding(story, hero, match, mark, Add);
                break;
            case SentenceKind.Feeling:
                ReadFeeling(story, match, Add);
                break;
            default:
                ReadEvent(story, hero, match, Add);
                break;
        }
    }

    private void ReadIntro(ReadStory story, SentenceMatch match, Action<ViolationKind, int, string> add)
    {
        var hero = _world.Find(match.Word(SlotKind.Name))!;
        story.Hero = hero;
        story.Holder = hero;
        story.Phase = StoryPhase.Goal;
        Fact(match, SlotKind.Kind, _world.Kinds[hero.Kind], $"{hero.Name}'s kind", add);
        Fact(match, SlotKind.Place, _world.Places[hero.Home], $"{hero.Name}'s home", add);
    }

    private void ReadGoal(ReadStory story, Character hero, SentenceMatch match, Action<ViolationKind, int, string> add)
    {
        story.Phase = StoryPhase.Middle;
        switch (match.Kind)
        {
            case SentenceKind.GoalFind:
                story.Goal = GoalKind.Find;
                story.Holder = null;
                Fact(match, SlotKind.Treasure, _world.Treasures[hero.Treasure], $"{hero.Name}'s treasure", add);
                break;
            case SentenceKind.GoalVisit:
                story.Goal = GoalKind.Visit;
                Fact(match, SlotKind.Name, _world.Cast[hero.Friend].Name, $"{hero.Name}'s friend", add);
                break;
            default:
                story.Goal = GoalKind.Gather;
                story.Count = _world.Numbers.IndexOf(match.Word(SlotKind.Number)) + 1;
                Fact(match, SlotKind.Food, _world.Foods[hero.Food], $"{hero.Name}'s food", add);
                break;
        }
    }

    private void ReadEvent(ReadStory story, Character hero, SentenceMatch match, Action<ViolationKind, int, string> add)
    {
        switch (match.Kind)
        {
            case SentenceKind.Weather:
                story.Weather = WorldTables.Weather.Select(w => w.Verb).ToList().IndexOf(match.Word(SlotKind.Weather));
                break;
            case SentenceKind.Meet:
                var met = _world.Find(match.Word(SlotKind.Name))!;
                if (met == hero)
                {
                    add(ViolationKind.Contradiction, match.Position(SlotKind.Name), $"{hero.Name} meets itself");
                }
                else if (!story.Met.Contains(met))
                {
                    story.Met.Add(met);
                }
                Fact(match, SlotKind.Kind, _world.Kinds[met.Kind], $"{met.Name}'s kind", add);
                break;
            case SentenceKind.Fear:
                bool feared = match.Word(SlotKind.Thing) == _world.Things[hero.Fear];
                Fact(match, SlotKind.Reaction, feared ? "hid" : "smiled", $"{hero.Name}'s fear of the {_world.Things[hero.Fear]}", add);
                break;
            case SentenceKind.Play or SentenceKind.Give:
                UseTreasure(story, hero, match, add);
                if (match.Kind == SentenceKind.Give)
                {
                    var receiver = _world.Find(match.Word(SlotKind.Name))!;
                    if (!Introduced(story, hero, receiver))
                    {
                        add(ViolationKind.Unintroduced, match.Position(SlotKind.Name), $"{receiver.Name} was never introduced");
                    }
                    else if (receiver != hero && story.Holder == hero)
                    {
                        story.Holder = receiver;
                    }
                }
                break;
            case SentenceKind.Gift:
                var giver = _world.Find(match.Word(SlotKind.Name))!;
                if (!Introduced(story, hero, giver) || giver == hero)
                {
                    add(ViolationKind.Unintroduced, match.Position(SlotKind.Name), $"{giver.Name} was never introduced");
                }
                if (story.Goal != GoalKind.Gather)
                {
                    add(ViolationKind.Unintroduced, match.Position(SlotKind.Number), "more of a food the story never introduced");
                }
                else
                {
                    story.Count += _world.Numbers.IndexOf(match.Word(SlotKind.Number)) + 1;
                }
                break;
            case SentenceKind.Eat:
                int eaten = _world.Numbers.IndexOf(match.Word(SlotKind.Number)) + 1;
                if (story.Goal != GoalKind.Gather)
                {
                    add(ViolationKind.Unintroduced, match.Position(SlotKind.Number), "eats a food the story never introduced");
                }
                else if (eaten > story.Count)
                {
                    add(ViolationKind.Count, match.Position(SlotKind.Number), $"eats {eaten} of {story.Count}");
                }
                else
                {
                    story.Count -= eaten;
                }
                break;
        }
    }

    private void ReadEnding(ReadStory story, Character hero, SentenceMatch match, int mark, Action<ViolationKind, int, string> add)
    {
        story.Phase = StoryPhase.Effects;
        var (goal, outcome) = match.Kind switch
        {
            SentenceKind.Found => (GoalKind.Find, StoryOutcome.Success),
            SentenceKind.NotFound => (GoalKind.Find, StoryOutcome.Failure),
            SentenceKind.Reached => (GoalKind.Visit, StoryOutcome.Success),
            SentenceKind.NotReached => (GoalKind.Visit, StoryOutcome.Failure),
            _ => (GoalKind.Gather, StoryOutcome.Success),
        };
        story.Outcome = outcome;
        if (goal != story.Goal)
        {
            // Resolving a goal the story never set: counting food never picked is an unintroduced object, the rest contradict the opening.
            add(goal == GoalKind.Gather ? ViolationKind.Unintroduced : ViolationKind.Contradiction, mark, $"a {match.Kind} ending to a story whose goal is {story.Goal}");
            return;
        }
        switch (match.Kind)
        {
            case SentenceKind.Found or SentenceKind.NotFound:
                Fact(match, SlotKind.Treasure, _world.Treasures[hero.Treasure], $"{hero.Name}'s treasure", add);
                if (outcome == StoryOutcome.Success)
                {
                    story.Holder = hero;
                }
                break;
            case SentenceKind.Reached:
                var friend = _world.Cast[hero.Friend];
                Fact(match, SlotKind.Place, _world.Places[friend.Home], $"the home of {friend.Name}, {hero.Name}'s friend", add);
                break;
            case SentenceKind.NotReached:
                Fact(match, SlotKind.Name, _world.Cast[hero.Friend].Name, $"{hero.Name}'s friend", add);
                break;
            default:
                Fact(match, SlotKind.Food, _world.Foods[hero.Food], $"{hero.Name}'s food", add);
                int total = _world.Numbers.IndexOf(match.Word(SlotKind.Number)) + 1;
                if (total != story.Count)
                {
                    add(ViolationKind.Count, match.Position(SlotKind.Number), $"has {total}, but the count is {story.Count}");
                }
                break;
        }
    }

    private static void ReadFeeling(ReadStory story, SentenceMatch match, Action<ViolationKind, int, string> add)
    {
        string feeling = match.Word(SlotKind.Feeling);
        bool caused = feeling == "sad"
            ? story.Outcome == StoryOutcome.Failure
            : story.Weather >= 0 && WorldTables.Weather[story.Weather].Effect == feeling;
        if (!caused)
        {
            add(ViolationKind.Effect, match.Position(SlotKind.Feeling), $"'{feeling}' without its cause");
        }
        story.Feelings.Add(feeling);
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
        if (story.Outcome == StoryOutcome.Failure && !story.Feelings.Contains("sad"))
        {
            violations.Add(new StoryViolation(ViolationKind.Effect, end, "a failed goal but never sad"));
        }
        if (story.Weather >= 0 && !story.Feelings.Contains(WorldTables.Weather[story.Weather].Effect))
        {
            violations.Add(new StoryViolation(ViolationKind.Effect, end, $"it {WorldTables.Weather[story.Weather].Verb} but never {WorldTables.Weather[story.Weather].Effect}"));
        }
    }

    private void UseTreasure(ReadStory story, Character hero, SentenceMatch match, Action<ViolationKind, int, string> add)
    {
        int position = match.Position(SlotKind.Treasure);
        if (match.Word(SlotKind.Treasure) != _world.Treasures[hero.Treasure])
        {
            Fact(match, SlotKind.Treasure, _world.Treasures[hero.Treasure], $"{hero.Name}'s treasure", add);
        }
        else if (story.Holder != hero)
        {
            string where = story.Holder is null ? "it is lost" : $"{story.Holder.Name} has it";
            add(ViolationKind.Possession, position, $"{hero.Name} uses the {match.Word(SlotKind.Treasure)}, but {where}");
        }
    }

    private bool Introduced(ReadStory story, Character hero, Character someone)
        => someone == hero || story.Met.Contains(someone) || (story.Goal == GoalKind.Visit && someone == _world.Cast[hero.Friend]);

    private static void Fact(SentenceMatch match, SlotKind slot, string truth, string what, Action<ViolationKind, int, string> add)
    {
        if (match.Word(slot) != truth)
        {
            add(ViolationKind.Contradiction, match.Position(slot), $"'{match.Word(slot)}' as {what}, which is '{truth}'");
        }
    }
}

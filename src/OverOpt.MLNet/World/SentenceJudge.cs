namespace OverOpt.MLNet.World;

/// <summary>
/// Judges one sentence of a story being read: whether it may stand where it does, whether its words agree with the
/// world's facts and the story's state, and how it changes that state. A sentence cut short (at the end of a response)
/// is judged on the slots it has reached.
/// </summary>
internal sealed class SentenceJudge(StoryWorld world, ReadStory story, SentenceMatch match, int mark, List<StoryViolation> violations)
{
    private const int MostMeetings = 2;

    public void Judge()
    {
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
            Intro();
            return;
        }
        if (story.Hero is not { } hero)
        {
            return;
        }
        Pronouns(hero);
        switch (match.Kind)
        {
            case SentenceKind.GoalFind or SentenceKind.GoalVisit or SentenceKind.GoalGather:
                Goal(hero);
                break;
            case SentenceKind.Found or SentenceKind.NotFound or SentenceKind.Reached or SentenceKind.NotReached or SentenceKind.Total:
                Ending(hero);
                break;
            case SentenceKind.Feeling:
                Feeling();
                break;
            default:
                Event(hero);
                break;
        }
    }

    private void Intro()
    {
        if (!match.Has(SlotKind.Name))
        {
            return;
        }
        var hero = world.Find(match.Word(SlotKind.Name))!;
        story.Hero = hero;
        story.Holder = hero;
        story.Phase = StoryPhase.Goal;
        Fact(SlotKind.Kind, world.Kinds[hero.Kind], $"{hero.Name}'s kind");
        Fact(SlotKind.Place, world.Places[hero.Home], $"{hero.Name}'s home");
    }

    private void Goal(Character hero)
    {
        story.Phase = StoryPhase.Middle;
        switch (match.Kind)
        {
            case SentenceKind.GoalFind:
                story.Goal = GoalKind.Find;
                story.Holder = null;
                Fact(SlotKind.Treasure, world.Treasures[hero.Treasure], $"{hero.Name}'s treasure");
                break;
            case SentenceKind.GoalVisit:
                story.Goal = GoalKind.Visit;
                Fact(SlotKind.Name, world.Cast[hero.Friend].Name, $"{hero.Name}'s friend");
                break;
            default:
                story.Goal = GoalKind.Gather;
                story.Count = match.Has(SlotKind.Number) ? Number() : 0;
                Fact(SlotKind.Food, world.Foods[hero.Food], $"{hero.Name}'s food");
                break;
        }
    }

    private void Event(Character hero)
    {
        // The grammar keeps stories short: each event at most once (meetings twice), at most MaxEvents in all.
        int limit = match.Kind == SentenceKind.Meet ? MostMeetings : 1;
        if (story.Events.Count(e => e == match.Kind) >= limit)
        {
            Add(ViolationKind.Structure, mark, $"a {match.Kind} sentence again");
        }
        else if (story.Events.Count >= world.Options.MaxEvents)
        {
            Add(ViolationKind.Structure, mark, $"more than {world.Options.MaxEvents} events");
        }
        story.Events.Add(match.Kind);
        if (match.Kind is SentenceKind.Play or SentenceKind.Give or SentenceKind.Gift && world.IsSombre(hero))
        {
            Add(ViolationKind.Contradiction, mark, $"{hero.Name}'s story cheers, but {hero.Name} is a {world.Kinds[hero.Kind]}, which never does");
        }
        switch (match.Kind)
        {
            case SentenceKind.Weather when match.Has(SlotKind.Weather):
                story.Weather = WorldTables.Weather.Select(w => w.Verb).ToList().IndexOf(match.Word(SlotKind.Weather));
                break;
            case SentenceKind.Meet when match.Has(SlotKind.Name):
                Meet(hero, world.Find(match.Word(SlotKind.Name))!);
                break;
            case SentenceKind.Fear when match.Has(SlotKind.Thing):
                Fact(SlotKind.Reaction, world.Reaction(hero, world.Things.IndexOf(match.Word(SlotKind.Thing))),
                    world.IsSombre(hero) ? $"what {hero.Name}, a {world.Kinds[hero.Kind]}, does on seeing anything" : $"{hero.Name}'s fear of the {world.Things[hero.Fear]}");
                break;
            case SentenceKind.Drop:
                UseTreasure(hero);
                if (match.Has(SlotKind.Treasure) && story.Holder == hero)
                {
                    story.Holder = null;
                }
                break;
            case SentenceKind.Play or SentenceKind.Give:
                UseTreasure(hero);
                if (match.Kind == SentenceKind.Give && match.Has(SlotKind.Name))
                {
                    Give(hero, world.Find(match.Word(SlotKind.Name))!);
                }
                break;
            case SentenceKind.Gift when match.Has(SlotKind.Name):
                Gift(hero, world.Find(match.Word(SlotKind.Name))!);
                break;
            case SentenceKind.Eat when match.Has(SlotKind.Number):
                Eat();
                break;
        }
    }

    /// <summary>Every pronoun refers to the hero, except the possessive of the character met ("with his drum").</summary>
    private void Pronouns(Character hero)
    {
        foreach (var slot in new[] { SlotKind.Subject, SlotKind.Object, SlotKind.Possessive }.Where(match.Has))
        {
            var referent = slot == SlotKind.Possessive && match.Kind == SentenceKind.Meet && match.Has(SlotKind.Name) ? world.Find(match.Word(SlotKind.Name))! : hero;
            var (subject, obj, possessive) = WorldTables.Pronouns[referent.Gender];
            string right = slot switch { SlotKind.Subject => subject, SlotKind.Object => obj, _ => possessive };
            if (match.Word(slot) != right)
            {
                Add(ViolationKind.Pronoun, match.Position(slot), $"'{match.Word(slot)}' for {referent.Name}, who is {subject}");
            }
        }
    }

    private void Meet(Character hero, Character met)
    {
        if (met == hero)
        {
            Add(ViolationKind.Contradiction, match.Position(SlotKind.Name), $"{hero.Name} meets itself");
        }
        else if (story.Met.Contains(met))
        {
            Add(ViolationKind.Structure, match.Position(SlotKind.Name), $"meets {met.Name} again");
        }
        else
        {
            story.Met.Add(met);
        }
        Fact(SlotKind.Kind, world.Kinds[met.Kind], $"{met.Name}'s kind");
        Fact(SlotKind.Treasure, world.Treasures[met.Treasure], $"{met.Name}'s treasure");
    }

    private void Give(Character hero, Character receiver)
    {
        if (receiver == hero || !Introduced(hero, receiver))
        {
            Add(ViolationKind.Unintroduced, match.Position(SlotKind.Name), $"{receiver.Name} was never introduced");
        }
        else if (story.Holder == hero && match.Kind == SentenceKind.Give)
        {
            story.Holder = receiver;
        }
    }

    private void Gift(Character hero, Character giver)
    {
        if (giver == hero || !story.Met.Contains(giver))
        {
            Add(ViolationKind.Unintroduced, match.Position(SlotKind.Name), $"{giver.Name} gives, but was never met");
        }
        if (story.Goal != GoalKind.Gather)
        {
            Add(ViolationKind.Unintroduced, match.Has(SlotKind.Number) ? match.Position(SlotKind.Number) : mark, "more of a food the story never introduced");
        }
        else if (match.Has(SlotKind.Number))
        {
            int total = story.Count + Number();
            if (total > world.Options.MaxCount)
            {
                Add(ViolationKind.Count, match.Position(SlotKind.Number), $"{story.Count} and {Number()} more is more than {world.Options.MaxCount}");
            }
            story.Count = total;
        }
    }

    private void Eat()
    {
        int eaten = Number();
        if (story.Goal != GoalKind.Gather)
        {
            Add(ViolationKind.Unintroduced, match.Position(SlotKind.Number), "eats a food the story never introduced");
        }
        else if (eaten >= story.Count)
        {
            // Eating all leaves no count to state, so the grammar keeps at least one.
            Add(ViolationKind.Count, match.Position(SlotKind.Number), $"eats {eaten} of {story.Count}");
        }
        else
        {
            story.Count -= eaten;
        }
    }

    private void Ending(Character hero)
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
        if (story.Events.Count == 0)
        {
            Add(ViolationKind.Structure, mark, "an ending before any event");
        }
        if (goal != story.Goal)
        {
            // Resolving a goal the story never set: counting food never picked is an unintroduced object, the rest contradict the opening.
            Add(goal == GoalKind.Gather ? ViolationKind.Unintroduced : ViolationKind.Contradiction, mark, $"a {match.Kind} ending to a story whose goal is {story.Goal}");
            return;
        }
        var friend = world.Cast[hero.Friend];
        switch (match.Kind)
        {
            case SentenceKind.Found or SentenceKind.NotFound:
                Fact(SlotKind.Treasure, world.Treasures[hero.Treasure], $"{hero.Name}'s treasure");
                story.Holder = outcome == StoryOutcome.Success ? hero : story.Holder;
                break;
            case SentenceKind.Reached:
                Fact(SlotKind.Place, world.Places[friend.Home], $"the home of {friend.Name}, {hero.Name}'s friend");
                break;
            case SentenceKind.NotReached:
                Fact(SlotKind.Name, friend.Name, $"{hero.Name}'s friend");
                break;
            default:
                Fact(SlotKind.Food, world.Foods[hero.Food], $"{hero.Name}'s food");
                if (match.Has(SlotKind.Number) && Number() != story.Count)
                {
                    Add(ViolationKind.Count, match.Position(SlotKind.Number), $"has {Number()}, but the count is {story.Count}");
                }
                break;
        }
    }

    private void Feeling()
    {
        if (!match.Has(SlotKind.Feeling))
        {
            return;
        }
        string feeling = match.Word(SlotKind.Feeling);
        int position = match.Position(SlotKind.Feeling);
        var owed = StoryEffects.Owed(story.Outcome == StoryOutcome.Failure, story.Weather, story.Events.Contains(SentenceKind.Eat));
        int place = owed.ToList().IndexOf(feeling);
        if (place < 0)
        {
            Add(ViolationKind.Effect, position, $"'{feeling}' without its cause");
        }
        else if (story.Feelings.Contains(feeling))
        {
            Add(ViolationKind.Structure, position, $"'{feeling}' again");
        }
        else if (owed.Take(place).Any(e => !story.Feelings.Contains(e)))
        {
            Add(ViolationKind.Structure, position, $"'{feeling}' before '{owed.Take(place).First(e => !story.Feelings.Contains(e))}'");
        }
        story.Feelings.Add(feeling);
    }

    private void UseTreasure(Character hero)
    {
        if (!match.Has(SlotKind.Treasure))
        {
            return;
        }
        if (match.Word(SlotKind.Treasure) != world.Treasures[hero.Treasure])
        {
            Fact(SlotKind.Treasure, world.Treasures[hero.Treasure], $"{hero.Name}'s treasure");
        }
        else if (story.Holder != hero)
        {
            string where = story.Holder is null ? "it is lost" : $"{story.Holder.Name} has it";
            Add(ViolationKind.Possession, match.Position(SlotKind.Treasure), $"{hero.Name} uses the {match.Word(SlotKind.Treasure)}, but {where}");
        }
    }

    /// <summary>Whether the story has introduced <paramref name="someone"/>: met, or named as the friend a visit is to.</summary>
    private bool Introduced(Character hero, Character someone)
        => story.Met.Contains(someone) || (story.Goal == GoalKind.Visit && someone == world.Cast[hero.Friend]);

    private int Number() => world.Numbers.IndexOf(match.Word(SlotKind.Number)) + 1;

    private void Fact(SlotKind slot, string truth, string what)
    {
        if (match.Has(slot) && match.Word(slot) != truth)
        {
            Add(ViolationKind.Contradiction, match.Position(slot), $"'{match.Word(slot)}' as {what}, which is '{truth}'");
        }
    }

    private void Add(ViolationKind kind, int position, string detail) => violations.Add(new StoryViolation(kind, position, detail));
}

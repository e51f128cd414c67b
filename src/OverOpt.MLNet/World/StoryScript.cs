namespace OverOpt.MLNet.World;

/// <summary>
/// The grammar of <see cref="StoryWorld.Version"/>: a story as a sequence of token choices made with an
/// <see cref="IStoryPen"/>. A story is an opening (who, kind and home; the goal), one to
/// <see cref="StoryWorldOptions.MaxEvents"/> events, an ending that resolves the goal, the effects of earlier causes,
/// and the begin token of the next story. Each token is one choice whose options are distinct tokens, so one text has
/// one derivation and its probability is the product of its choices' probabilities.
/// </summary>
/// <example>
/// "mera the fox lived in the barn . one day she lost her kite . then it rained . she met tobo the owl with his drum .
/// at last she found her kite in the cave . she was wet ." followed by &lt;bos&gt;.
/// </example>
public sealed class StoryScript
{
    /// <summary>The token that ends a story: the begin token of the next one in the training stream.</summary>
    public const string EndToken = "<bos>";
    private const int MostMeetings = 2;

    private readonly StoryWorld _world;

    /// <summary>The grammar of stories in <paramref name="world"/>.</summary>
    public StoryScript(StoryWorld world) => _world = world;

    /// <summary>The world whose facts and tables the stories use.</summary>
    public StoryWorld World => _world;

    /// <summary>Writes one story, end token included, with <paramref name="pen"/> and returns its final state.</summary>
    public StoryPlot Write(IStoryPen pen)
    {
        var plot = new StoryPlot();
        var writer = new Writer(pen);
        var hero = _world.Cast[writer.Put(_world.CastChoice, TokenRole.Free)];
        plot.Hero = hero;
        plot.Holder = hero;
        writer.Put("the", TokenRole.Grammar);
        writer.Put(_world.Kinds[hero.Kind], TokenRole.Fact);
        writer.Words(TokenRole.Grammar, "lived", "in", "the");
        writer.Put(_world.Places[hero.Home], TokenRole.Fact);
        writer.Put(".", TokenRole.Grammar);
        WriteGoal(writer, plot);
        while (plot.Outcome == StoryOutcome.Open)
        {
            var next = StoryBranching.Choose(pen, NextSentences(plot));
            if (next.Ending is { } outcome)
            {
                WriteEnding(writer, plot, outcome);
            }
            else
            {
                WriteEvent(writer, plot, next.Event, next.Actor);
            }
        }
        WriteEffects(writer, plot);
        writer.Put(EndToken, TokenRole.End);
        return plot;
    }

    private void WriteGoal(Writer writer, StoryPlot plot)
    {
        var hero = plot.Hero!;
        writer.Words(TokenRole.Grammar, "one", "day");
        writer.Put(StoryWorld.Subject(hero), TokenRole.Fact);
        var goals = new WordTable(["lost", "went", "picked"]);
        var goal = (GoalKind)(writer.Put(TokenChoice.Uniform(goals), TokenRole.Free) + 1);
        plot.Goal = goal;
        switch (goal)
        {
            case GoalKind.Find:
                writer.Put(StoryWorld.Possessive(hero), TokenRole.Copy);
                writer.Put(_world.Treasures[hero.Treasure], TokenRole.Fact);
                plot.TreasureNamed = true;
                plot.Holder = null;
                break;
            case GoalKind.Visit:
                writer.Words(TokenRole.Grammar, "to", "see");
                writer.Put(_world.Cast[hero.Friend].Name, TokenRole.Fact);
                break;
            default:
                var picked = Enumerable.Range(0, _world.Numbers.Count).Select(i => i + 1 >= _world.Options.MinPicked && i + 1 <= _world.Options.MaxPicked ? 1.0 : 0.0).ToArray();
                plot.Count = writer.Put(TokenChoice.Weighted(_world.Numbers, picked), TokenRole.Free) + 1;
                writer.Put(_world.Foods[hero.Food], TokenRole.Fact);
                break;
        }
        writer.Put(".", TokenRole.Grammar);
    }

    private List<StoryBranch<Sentence>> NextSentences(StoryPlot plot)
    {
        var hero = plot.Hero!;
        string subject = StoryWorld.Subject(hero);
        var events = PossibleEvents(plot).ToList();
        double end = plot.Events.Count == 0 ? 0 : plot.Events.Count >= _world.Options.MaxEvents || events.Count == 0 ? 1 : _world.Options.EndProbability;
        var branches = new List<StoryBranch<Sentence>>();
        foreach (var e in events)
        {
            double weight = (1 - end) / events.Count;
            if (e == StoryEvent.Gift)
            {
                // Any character met can be the giver: one branch each, told apart by the name that opens the sentence.
                foreach (var giver in plot.Met)
                {
                    branches.Add(new StoryBranch<Sentence>(new Sentence(e, null, giver), [giver.Name, "gave"], [TokenRole.Copy, TokenRole.Grammar], weight / plot.Met.Count));
                }
                continue;
            }
            string[] opening = e == StoryEvent.Weather ? ["then", "it"] : [subject, EventVerb(e)];
            branches.Add(new StoryBranch<Sentence>(new Sentence(e, null, null), opening, [TokenRole.Copy, TokenRole.Grammar], weight));
        }
        if (plot.Goal == GoalKind.Gather)
        {
            branches.Add(new StoryBranch<Sentence>(new Sentence(default, StoryOutcome.Success, null), ["in", "the", "end"], [TokenRole.Grammar, TokenRole.Grammar, TokenRole.Grammar], end));
        }
        else
        {
            double success = _world.Options.SuccessProbability;
            branches.Add(new StoryBranch<Sentence>(new Sentence(default, StoryOutcome.Success, null), ["at", "last"], [TokenRole.Grammar, TokenRole.Grammar], end * success));
            branches.Add(new StoryBranch<Sentence>(new Sentence(default, StoryOutcome.Failure, null), ["but"], [TokenRole.Grammar], end * (1 - success)));
        }
        return branches;
    }

    private IEnumerable<StoryEvent> PossibleEvents(StoryPlot plot)
    {
        bool Done(StoryEvent e) => plot.Events.Contains(e);
        // A sombre hero never cheers (storyworld-2): it keeps its treasure to itself and is given nothing.
        bool cheers = !_world.IsSombre(plot.Hero!);
        bool holds = ReferenceEquals(plot.Holder, plot.Hero);
        if (!Done(StoryEvent.Weather))
        {
            yield return StoryEvent.Weather;
        }
        if (plot.Met.Count < MostMeetings && plot.Met.Count + 1 < _world.Cast.Count)
        {
            yield return StoryEvent.Meet;
        }
        if (!Done(StoryEvent.Fear))
        {
            yield return StoryEvent.Fear;
        }
        if (holds && !Done(StoryEvent.Drop))
        {
            yield return StoryEvent.Drop;
        }
        if (holds && cheers && !Done(StoryEvent.Play))
        {
            yield return StoryEvent.Play;
        }
        if (holds && cheers && Others(plot).Count > 0 && !Done(StoryEvent.Give))
        {
            yield return StoryEvent.Give;
        }
        if (!Done(StoryEvent.Search))
        {
            yield return StoryEvent.Search;
        }
        if (cheers && plot.Goal == GoalKind.Gather && plot.Met.Count > 0 && plot.Count < _world.Options.MaxCount && !Done(StoryEvent.Gift))
        {
            yield return StoryEvent.Gift;
        }
        if (plot.Goal == GoalKind.Gather && plot.Count >= 2 && !Done(StoryEvent.Eat))
        {
            yield return StoryEvent.Eat;
        }
    }

    private static string EventVerb(StoryEvent e) => e switch
    {
        StoryEvent.Meet => "met",
        StoryEvent.Fear => "saw",
        StoryEvent.Play => "played",
        StoryEvent.Drop => "dropped",
        StoryEvent.Give => "gave",
        StoryEvent.Search => "looked",
        StoryEvent.Eat => "ate",
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "This event does not begin with the hero's pronoun."),
    };

    /// <summary>The characters the story has introduced besides the hero: those met, and the friend a visit names.</summary>
    private List<Character> Others(StoryPlot plot)
    {
        var others = plot.Met.ToList();
        var friend = _world.Cast[plot.Hero!.Friend];
        if (plot.Goal == GoalKind.Visit && !others.Contains(friend))
        {
            others.Add(friend);
        }
        return others;
    }

    private void WriteEvent(Writer writer, StoryPlot plot, StoryEvent e, Character? actor)
    {
        var hero = plot.Hero!;
        plot.Events.Add(e);
        switch (e)
        {
            case StoryEvent.Weather:
                plot.Weather = writer.Put(TokenChoice.Uniform(new WordTable(WorldTables.Weather.Select(w => w.Verb))), TokenRole.Free);
                break;
            case StoryEvent.Meet:
                var excluded = plot.Met.Select(c => c.Rank).Append(hero.Rank);
                var met = _world.Cast[writer.Put(_world.CastChoice.Without(excluded), TokenRole.Free)];
                plot.Met.Add(met);
                writer.Put("the", TokenRole.Grammar);
                writer.Put(_world.Kinds[met.Kind], TokenRole.Fact);
                // The one pronoun that is not the hero's: knowing it takes knowing the character met.
                writer.Put("with", TokenRole.Grammar);
                writer.Put(StoryWorld.Possessive(met), TokenRole.Fact);
                writer.Put(_world.Treasures[met.Treasure], TokenRole.Fact);
                break;
            case StoryEvent.Fear:
                writer.Put("a", TokenRole.Grammar);
                int thing = writer.Put(TokenChoice.Uniform(_world.Things).Favouring(hero.Fear, _world.Options.FearShare), TokenRole.Free);
                writer.Put("and", TokenRole.Grammar);
                writer.Put(_world.Reaction(hero, thing), TokenRole.Fact);
                break;
            case StoryEvent.Play:
                writer.Words(TokenRole.Grammar, "with");
                WriteTreasure(writer, plot);
                break;
            case StoryEvent.Drop:
                WriteTreasure(writer, plot);
                plot.Holder = null;
                break;
            case StoryEvent.Give:
                WriteTreasure(writer, plot);
                writer.Put("to", TokenRole.Grammar);
                var receivers = Others(plot);
                var receiver = receivers[writer.Put(TokenChoice.Uniform(new WordTable(receivers.Select(c => c.Name))), TokenRole.Copy)];
                plot.Holder = receiver;
                break;
            case StoryEvent.Search:
                writer.Words(TokenRole.Grammar, "in", "the");
                writer.Put(TokenChoice.Uniform(_world.Places), TokenRole.Free);
                break;
            case StoryEvent.Gift:
                plot.Giver = actor;
                writer.Put(StoryWorld.Object(hero), TokenRole.Copy);
                int most = Math.Min(_world.Options.MaxChange, _world.Options.MaxCount - plot.Count);
                plot.Count += writer.Put(Counts(1, most), TokenRole.Free) + 1;
                writer.Put("more", TokenRole.Grammar);
                break;
            case StoryEvent.Eat:
                plot.Count -= writer.Put(Counts(1, Math.Min(_world.Options.MaxChange, plot.Count - 1)), TokenRole.Free) + 1;
                break;
        }
        writer.Put(".", TokenRole.Grammar);
    }

    private void WriteEnding(Writer writer, StoryPlot plot, StoryOutcome outcome)
    {
        var hero = plot.Hero!;
        writer.Put(StoryWorld.Subject(hero), TokenRole.Copy);
        switch (plot.Goal)
        {
            case GoalKind.Find:
                if (outcome == StoryOutcome.Failure)
                {
                    writer.Put("never", TokenRole.Grammar);
                }
                writer.Put("found", TokenRole.Grammar);
                WriteTreasure(writer, plot);
                if (outcome == StoryOutcome.Success)
                {
                    writer.Words(TokenRole.Grammar, "in", "the");
                    writer.Put(TokenChoice.Uniform(_world.Places), TokenRole.Free);
                    plot.Holder = hero;
                }
                break;
            case GoalKind.Visit:
                var friend = _world.Cast[hero.Friend];
                if (outcome == StoryOutcome.Failure)
                {
                    writer.Words(TokenRole.Grammar, "never", "reached");
                    writer.Put(friend.Name, TokenRole.Copy);
                }
                else
                {
                    writer.Words(TokenRole.Grammar, "reached", "the");
                    writer.Put(_world.Places[friend.Home], TokenRole.Fact);
                }
                break;
            default:
                writer.Put("had", TokenRole.Grammar);
                writer.Put(_world.Numbers[plot.Count - 1], TokenRole.Count);
                writer.Put(_world.Foods[hero.Food], TokenRole.Copy);
                break;
        }
        writer.Put(".", TokenRole.Grammar);
        plot.Outcome = outcome;
    }

    private static void WriteEffects(Writer writer, StoryPlot plot)
    {
        string subject = StoryWorld.Subject(plot.Hero!);
        foreach (string effect in StoryEffects.Owed(plot.Outcome == StoryOutcome.Failure, plot.Weather, plot.Events.Contains(StoryEvent.Eat)))
        {
            writer.Put(subject, TokenRole.Copy);
            writer.Put("was", TokenRole.Grammar);
            writer.Put(effect, TokenRole.Effect);
            writer.Put(".", TokenRole.Grammar);
        }
    }

    private void WriteTreasure(Writer writer, StoryPlot plot)
    {
        var hero = plot.Hero!;
        writer.Put(StoryWorld.Possessive(hero), TokenRole.Copy);
        writer.Put(_world.Treasures[hero.Treasure], plot.TreasureNamed ? TokenRole.Copy : TokenRole.Fact);
        plot.TreasureNamed = true;
    }

    private TokenChoice Counts(int least, int most)
        => TokenChoice.Weighted(_world.Numbers, Enumerable.Range(1, _world.Numbers.Count).Select(n => n >= least && n <= most ? 1.0 : 0.0).ToArray());

    /// <summary>The next sentence: an event (with the character who acts in it, for a gift), or (when <see cref="Ending"/> is set) the ending with that outcome.</summary>
    private readonly record struct Sentence(StoryEvent Event, StoryOutcome? Ending, Character? Actor);

    /// <summary>Writes through the pen, marking any token with more than one option as a free choice.</summary>
    private sealed class Writer(IStoryPen pen)
    {
        public int Put(TokenChoice choice, TokenRole role) => pen.Write(choice, choice.Support > 1 ? TokenRole.Free : role);

        public void Put(string token, TokenRole role) => pen.Write(TokenChoice.Forced(token), role);

        public void Words(TokenRole role, params string[] tokens)
        {
            foreach (var token in tokens)
            {
                Put(token, role);
            }
        }
    }
}

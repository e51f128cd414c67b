namespace OverOpt.MLNet.World;

/// <summary>The sentence templates of the story world, as <see cref="SentencePatterns"/> recognizes them.</summary>
public enum SentenceKind
{
    /// <summary>"mera the fox lived in the barn ."</summary>
    Intro,

    /// <summary>"one day she lost her kite ."</summary>
    GoalFind,

    /// <summary>"one day she went to see tobo ."</summary>
    GoalVisit,

    /// <summary>"one day she picked three plums ."</summary>
    GoalGather,

    /// <summary>"then it rained ."</summary>
    Weather,

    /// <summary>"she met tobo the owl with his drum ."</summary>
    Meet,

    /// <summary>"she saw a wasp and hid ."</summary>
    Fear,

    /// <summary>"she played with her kite ."</summary>
    Play,

    /// <summary>"she dropped her kite ."</summary>
    Drop,

    /// <summary>"she gave her kite to tobo ."</summary>
    Give,

    /// <summary>"she looked in the cave ."</summary>
    Search,

    /// <summary>"tobo gave her two more ."</summary>
    Gift,

    /// <summary>"she ate one ."</summary>
    Eat,

    /// <summary>"at last she found her kite in the cave ."</summary>
    Found,

    /// <summary>"but she never found her kite ."</summary>
    NotFound,

    /// <summary>"at last she reached the hill ."</summary>
    Reached,

    /// <summary>"but she never reached tobo ."</summary>
    NotReached,

    /// <summary>"in the end she had five plums ."</summary>
    Total,

    /// <summary>"she was wet ." (or sad, cold, full)</summary>
    Feeling,
}

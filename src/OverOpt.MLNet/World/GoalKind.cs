namespace OverOpt.MLNet.World;

/// <summary>The goal a story's opening sets up, which its ending must resolve.</summary>
public enum GoalKind
{
    /// <summary>No goal stated yet.</summary>
    None,

    /// <summary>"one day she lost her kite ." The ending finds it or says it was never found (and then she is sad).</summary>
    Find,

    /// <summary>"one day she went to see tobo ." The ending reaches the friend's home or says she never reached the friend.</summary>
    Visit,

    /// <summary>"one day she picked three plums ." Gifts and meals change the count; the ending states the total.</summary>
    Gather,
}

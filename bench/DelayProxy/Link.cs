namespace DelayProxy;

/// <summary>
/// One direction of the simulated path: a bandwidth shared by every connection (the
/// bytes of one chunk take their time on the wire after the bytes before them) and a
/// fixed propagation delay after that.
/// </summary>
public sealed class Link(TimeSpan delay, long bitsPerSecond)
{
    private readonly object wire = new();
    private long busyUntil;

    /// <summary>When a chunk of <paramref name="bytes"/> handed over now arrives at the other end, in Stopwatch ticks.</summary>
    public long Arrival(int bytes, long now)
    {
        var onTheWire = bitsPerSecond > 0 ? bytes * 8L * System.Diagnostics.Stopwatch.Frequency / bitsPerSecond : 0;
        lock (wire)
        {
            busyUntil = Math.Max(busyUntil, now) + onTheWire;
            return busyUntil + (long)(delay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        }
    }
}

namespace Eliloader.Formats.Tests;

/// <summary>
/// CPU time of the calling thread, from /proc: a bound on the work of a parser is asserted
/// on it, since the load of a shared machine stretches wall time but not this.
/// </summary>
public static class ThreadCpu
{
    public static TimeSpan Measure(Action action)
    {
        var before = Now();
        action();
        return Now() - before;
    }

    private static TimeSpan Now() =>
        TimeSpan.FromTicks(long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 100);
}

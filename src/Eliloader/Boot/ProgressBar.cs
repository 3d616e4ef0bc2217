using System.Diagnostics;
using System.Globalization;

namespace Eliloader.Boot;

/// <summary>
/// One self-overwriting line on a terminal: the file's name, bytes so far against its
/// size, a bar and the rate. Redrawn at most ten times a second.
/// </summary>
public sealed class ProgressBar(TextWriter terminal) : IProgressDisplay
{
    private const int BarWidth = 24;
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);

    private readonly Stopwatch clock = new();
    private TimeSpan? lastDrawn;
    private string? line;

    public void Report(string url, long received, long? total)
    {
        if (!clock.IsRunning)
            clock.Start();
        if (clock.Elapsed - lastDrawn < RedrawEvery && received != total)
            return;
        lastDrawn = clock.Elapsed;
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var name = url[(url.LastIndexOf('/') + 1)..];
        var bar = total is > 0 and var size
            ? "[" + new string('#', (int)(BarWidth * received / size)).PadRight(BarWidth) + "] " + Size(size)
            : "size unknown";
        line = string.Create(CultureInfo.InvariantCulture, $"{name}  {Size(received)} of {bar}  {Size((long)(received / seconds))}/s");
        terminal.Write("\r" + line + "\u001b[K");
        terminal.Flush();
    }

    public void Finish()
    {
        if (line is not null)
            terminal.WriteLine();
        clock.Reset();
        lastDrawn = null;
        line = null;
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 30):0.0} GiB"),
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => $"{bytes} B",
    };
}

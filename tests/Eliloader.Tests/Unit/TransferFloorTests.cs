using Eliloader.Formats;
using Eliloader.Repositories;

namespace Eliloader.Tests.Unit;

/// <summary>The floor on a download's rate, against a clock the test moves.</summary>
public sealed class TransferFloorTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Now { get; set; }
        public override long TimestampFrequency => 1000;
        public override long GetTimestamp() => Now;
    }

    /// <summary>Hands out the chunks it is given, moving the clock to each chunk's time first.</summary>
    private sealed class TimedSource(ManualClock clock, IEnumerable<(long AtMilliseconds, int Bytes)> chunks) : ForwardReadStream
    {
        private readonly IEnumerator<(long AtMilliseconds, int Bytes)> next = chunks.GetEnumerator();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!next.MoveNext())
                return 0;
            clock.Now = next.Current.AtMilliseconds;
            return Math.Min(count, next.Current.Bytes);
        }
    }

    private static readonly TransferFloor Floor = new(BytesPerSecond: 100, Window: TimeSpan.FromSeconds(10));

    private static long Drain(IEnumerable<(long, int)> chunks)
    {
        var clock = new ManualClock();
        using var guarded = Floor.Guard(new TimedSource(clock, chunks), "http://m/f", clock);
        var buffer = new byte[4096];
        long total = 0;
        int read;
        while ((read = guarded.Read(buffer, 0, buffer.Length)) > 0)
            total += read;
        return total;
    }

    [Fact]
    public void Exactly_the_floor_over_every_window_is_accepted()
    {
        // 100 bytes each second for a minute: 1000 bytes in every ten seconds.
        Assert.Equal(6000, Drain(Enumerable.Range(1, 60).Select(s => (s * 1000L, 100))));
    }

    [Fact]
    public void One_byte_short_of_the_floor_over_a_window_is_refused_naming_the_url_and_the_rate()
    {
        // 100 bytes each second for nine seconds, then 99: 999 bytes in the first ten seconds.
        var chunks = Enumerable.Range(1, 9).Select(s => (s * 1000L, 100)).Append((10_000L, 99)).Append((11_000L, 100_000));
        var e = Assert.Throws<SourceUnavailableException>(() => Drain(chunks));
        Assert.Equal("http://m/f", e.Url);
        Assert.Equal("slower than download-min-rate 100 bytes/s: 999 bytes in the last 10 seconds", e.Reason);
    }

    [Fact]
    public void A_slow_start_is_judged_only_once_a_window_has_passed()
    {
        // Nothing for nine seconds, then the whole file: never below the floor over a window.
        Assert.Equal(4000, Drain([(9_000, 4000)]));
    }

    [Fact]
    public void A_mirror_dripping_a_byte_a_second_fails_after_one_window()
    {
        var e = Assert.Throws<SourceUnavailableException>(() => Drain(Enumerable.Range(1, 1000).Select(s => (s * 1000L, 1))));
        Assert.Equal("slower than download-min-rate 100 bytes/s: 10 bytes in the last 10 seconds", e.Reason);
    }

    [Fact]
    public void A_floor_of_zero_guards_nothing()
    {
        var source = new MemoryStream();
        Assert.Same(source, (Floor with { BytesPerSecond = 0 }).Guard(source, "http://m/f"));
    }
}

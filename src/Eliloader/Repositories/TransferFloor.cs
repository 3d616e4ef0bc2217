using System.Globalization;
using Eliloader.Configuration;
using Eliloader.Formats;

namespace Eliloader.Repositories;

/// <summary>
/// The slowest a download may go, as curl's --speed-limit and --speed-time: once a
/// window has passed, fewer than <see cref="BytesPerSecond"/> × window bytes in the
/// last window is a failure. The stall timeout alone cannot see a mirror that drips a
/// byte a second, and a 100 kB file would then take a day. Any repository's reads can
/// be guarded with it; 0 turns it off.
/// </summary>
public sealed record TransferFloor(long BytesPerSecond, TimeSpan Window)
{
    /// <summary>download-min-rate, averaged over download-timeout.</summary>
    public static TransferFloor From(Settings settings) =>
        new(settings.DownloadMinRate, TimeSpan.FromSeconds(settings.DownloadTimeout));

    /// <summary>The source, failing with <see cref="SourceUnavailableException"/> once it is slower than the floor.</summary>
    public Stream Guard(Stream source, string url, TimeProvider? clock = null) =>
        BytesPerSecond == 0 ? source : new RateFloorStream(source, this, url, clock ?? TimeProvider.System);

    private sealed class RateFloorStream(Stream inner, TransferFloor floor, string url, TimeProvider clock) : ForwardReadStream
    {
        // A checkpoint every sixteenth of the window: the window is measured to within
        // that, with at most seventeen checkpoints kept however fast the reads come.
        private const int CheckpointsPerWindow = 16;
        private readonly Queue<(long Time, long Total)> checkpoints = new([(clock.GetTimestamp(), 0L)]);
        private long lastCheckpoint = clock.GetTimestamp();
        private long total;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            total += read;
            if (read > 0)
                Check();
            return read;
        }

        private void Check()
        {
            var now = clock.GetTimestamp();
            if (clock.GetElapsedTime(lastCheckpoint, now) >= floor.Window / CheckpointsPerWindow)
            {
                checkpoints.Enqueue((now, total));
                lastCheckpoint = now;
            }
            // The oldest checkpoint kept is the newest one a whole window back.
            while (checkpoints.Count > 1 && clock.GetElapsedTime(checkpoints.ElementAt(1).Time, now) >= floor.Window)
                checkpoints.Dequeue();
            var (since, then) = checkpoints.Peek();
            var elapsed = clock.GetElapsedTime(since, now);
            if (elapsed < floor.Window)
                return;
            var received = total - then;
            if (received < floor.BytesPerSecond * elapsed.TotalSeconds)
                throw new SourceUnavailableException(url,
                    string.Create(CultureInfo.InvariantCulture, $"slower than download-min-rate {floor.BytesPerSecond} bytes/s: {received} bytes in the last {elapsed.TotalSeconds:0.#} seconds"));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

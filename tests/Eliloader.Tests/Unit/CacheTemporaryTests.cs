using Eliloader.Boot;
using Eliloader.Cache;
using Eliloader.Configuration;

namespace Eliloader.Tests.Unit;

/// <summary>
/// A download's temporary file in the cache against another run's sweep of temporary
/// files that killed runs left: the sweep deletes what no live process holds, so a file
/// it meets between its creation and its lock must be given up for a new one, never
/// handed out deleted (the download would be lost to the cache and fetched again).
/// </summary>
public sealed class CacheTemporaryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("eliloader-cache-").FullName;

    [Fact]
    public async Task A_new_object_survives_sweeps_running_beside_it()
    {
        var settings = new Settings { CacheDir = directory };
        var cleanup = new RunCleanup(_ => { });
        var cache = ImageCache.Open(settings, cleanup, _ => { })!;
        var sweeper = ImageCache.Open(settings, new RunCleanup(_ => { }), _ => { })!;
        using var slot = cache.Lock("http://mirror/initrd", LockMode.Exclusive)!;
        using var stop = new CancellationTokenSource();
        var swept = 0;
        var sweeping = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                sweeper.RemoveAbandonedTemporaries();
                Interlocked.Increment(ref swept);
            }
        }, TaskCreationOptions.LongRunning);

        // New objects for as long as it takes the sweep to run a thousand times beside them.
        var (made, lost) = (0, 0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((Volatile.Read(ref swept) < 1000 || made < 1000) && DateTime.UtcNow < deadline)
        {
            var (path, stream) = slot.NewObject();
            using (stream)
            {
                stream.WriteByte(1);
                if (!File.Exists(path))
                    lost++;
            }
            File.Delete(path);
            made++;
        }
        stop.Cancel();
        await sweeping;

        Assert.True(swept >= 1000 && made >= 1000, $"{made} objects against {swept} sweeps");
        Assert.Equal(0, lost);
    }

    [Fact]
    public void A_temporary_file_no_run_holds_is_swept()
    {
        var cache = ImageCache.Open(new Settings { CacheDir = directory }, new RunCleanup(_ => { }), _ => { })!;
        var left = Path.Combine(cache.ObjectsDirectory, ImageCache.PartialPrefix + "-killed");
        File.WriteAllText(left, "a killed run's download");
        using var slot = cache.Lock("http://mirror/vmlinuz", LockMode.Exclusive)!;
        var (held, stream) = slot.NewObject();
        using (stream)
        {
            cache.RemoveAbandonedTemporaries();
            Assert.False(File.Exists(left));
            Assert.True(File.Exists(held));
        }
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

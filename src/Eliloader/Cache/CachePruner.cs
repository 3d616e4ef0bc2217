namespace Eliloader.Cache;

/// <summary>
/// Keeps the cache within cache-max-size: entries least recently used go first, each
/// only if no run holds its lock, and an object goes with the last entry naming it.
/// Temporary files of runs that died go at once (a live run holds its own locked);
/// objects no entry names go once they are a day old (younger ones may belong to a run
/// still committing).
/// </summary>
public static class CachePruner
{
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);

    /// <returns>The entries removed.</returns>
    public static IReadOnlyList<CacheEntry> Prune(ImageCache cache, long maxSize, Action<string> log)
    {
        RemoveAbandoned(cache, log);
        var entries = cache.Entries();
        var total = ImageCache.TotalSize(entries);
        var removed = new List<CacheEntry>();
        foreach (var (key, entry, _) in entries)
        {
            if (total <= maxSize)
                break;
            using var held = CacheLock.TryAcquire(cache.LockPath(key));
            if (held is null)
                continue;
            if (cache.Remove(key, entry))
                total -= entry.Length;
            removed.Add(entry);
        }
        return removed;
    }

    private static void RemoveAbandoned(ImageCache cache, Action<string> log)
    {
        cache.RemoveAbandonedTemporaries();
        var named = cache.Entries().Select(e => e.Entry.Sha256).ToHashSet(StringComparer.Ordinal);
        var abandoned = new DirectoryInfo(cache.ObjectsDirectory).EnumerateFiles()
            .Where(file => !file.Name.StartsWith('.') && !named.Contains(file.Name));
        foreach (var file in abandoned.Where(file => DateTime.UtcNow - file.LastWriteTimeUtc > AbandonedAfter))
        {
            file.Delete();
            log($"cache: removed {file.FullName}, which no finished run owns");
        }
    }
}

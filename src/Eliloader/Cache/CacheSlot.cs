using Eliloader.Boot;

namespace Eliloader.Cache;

/// <summary>
/// One URL's place in the cache, held under its lock: the entry if its object is
/// intact in size, a fresh object file to download into, and the commit that
/// publishes it (object renamed into place, then the entry, each atomically).
/// </summary>
public sealed class CacheSlot(ImageCache cache, string url, string key, CacheLock held, RunCleanup cleanup, Action<string> log) : IDisposable
{
    public string Url { get; } = url;

    /// <summary>The cache directory this slot belongs to.</summary>
    public string Directory => cache.Directory;

    /// <summary>The entry for this URL, when its object is present with the size recorded.</summary>
    public CacheEntry? Entry
    {
        get
        {
            var entry = ImageCache.ReadEntry(cache.EntryPath(key));
            if (entry is null || entry.Url != Url)
                return null;
            var content = new FileInfo(cache.ObjectPath(entry.Sha256));
            return content.Exists && content.Length == entry.Length ? entry : null;
        }
    }

    /// <summary>The entry's object, open for reading; null when it is gone.</summary>
    public FileStream? OpenObject(CacheEntry entry)
    {
        try
        {
            return File.OpenRead(cache.ObjectPath(entry.Sha256));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"cache: the copy of {Url} cannot be opened: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// A new object file beside the others, locked while it is open; removed if the run
    /// fails before <see cref="Commit"/>, and by the next run if this one is killed.
    /// </summary>
    public (string Path, FileStream Stream) NewObject() => Temporary(cache.ObjectsDirectory, ImageCache.PartialPrefix);

    private (string Path, FileStream Stream) Temporary(string directory, string prefix)
    {
        var (path, stream) = ExclusiveFile.Create(directory, prefix, cleanup);
        try
        {
            // Between the create and the lock another run may take the file for abandoned
            // and delete it: the commit then fails and the file is simply not kept.
            CacheLock.HoldWhileOpen(stream);
            return (path, stream);
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    public void Commit(string partial, CacheEntry entry)
    {
        if (!entry.Storable)
        {
            log($"cache: {Url} has a control character in its validators; not kept");
            File.Delete(partial);
            return;
        }
        var replaced = ImageCache.ReadEntry(cache.EntryPath(key));
        File.Move(partial, cache.ObjectPath(entry.Sha256), overwrite: true);
        var (temporary, stream) = Temporary(cache.EntriesDirectory, ImageCache.EntryPrefix);
        using (var writer = new StreamWriter(stream))
        {
            foreach (var line in entry.Lines())
                writer.Write(line + "\n");
            writer.Flush();
            // Renamed while still open, so still locked: no other run takes it for abandoned.
            File.Move(temporary, cache.EntryPath(key), overwrite: true);
        }
        log($"cache: kept {Url} as {entry.Sha256} ({entry.Length} bytes)");
        // The URL's earlier version goes unless another URL's entry still names it.
        if (replaced is not null && replaced.Sha256 != entry.Sha256)
            cache.DropUnnamedObject(replaced.Sha256);
        CachePruner.Prune(cache, cache.MaxSize, log);
    }

    /// <summary>Marks the entry as just used, for least-recently-used pruning.</summary>
    public void Touch() => File.SetLastWriteTimeUtc(cache.EntryPath(key), DateTime.UtcNow);

    /// <summary>Drops an entry whose object turned out damaged.</summary>
    public void Forget(CacheEntry entry) => cache.Remove(key, entry);

    public void Dispose() => held.Dispose();
}

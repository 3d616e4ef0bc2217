using Eliloader.Boot;

namespace Eliloader.Cache;

/// <summary>
/// One URL's place in the cache, held under its lock: the entry if its object is
/// intact in size, a fresh object file to download into, and the commit that
/// publishes it (object renamed into place, then the entry, each atomically). Only
/// an exclusive slot may change the cache; a shared one is for copying out.
/// </summary>
public sealed class CacheSlot(ImageCache cache, string url, string key, CacheLock held, LockMode mode, RunCleanup cleanup, Action<string> log) : IDisposable
{
    private const int TemporaryAttempts = 5;

    public string Url { get; } = url;

    /// <summary>The cache directory this slot belongs to.</summary>
    public string Directory => cache.Directory;

    public bool Shared => mode == LockMode.Shared;

    /// <summary>The entry for this URL, when its object is present with the size recorded.</summary>
    public CacheEntry? Entry => cache.Current(Url);

    /// <summary>Lets other runs copy the file out beside this one: an exclusive slot becomes shared.</summary>
    public void Share()
    {
        if (!Shared)
            held.Share();
        mode = LockMode.Shared;
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

    /// <summary>
    /// A new temporary file, locked. Between its creation and the lock, another run's
    /// sweep (<see cref="ImageCache.RemoveAbandonedTemporaries"/>) can take it for one a
    /// killed run left: it deletes the file, or holds it for the moment it takes to. Such
    /// a file is given up for a new name; kept, its download would be lost to the cache
    /// and the next boot would fetch it again (seen with 20 boots at once on a loaded
    /// machine). Once this run holds the lock, no sweep touches the file.
    /// </summary>
    private (string Path, FileStream Stream) Temporary(string directory, string prefix)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (LockedTemporary(directory, prefix) is { } made)
                    return made;
            }
            catch (IOException) when (attempt < TemporaryAttempts)
            {
                // Held by a sweep this moment (at the create or at the lock): it is about to delete the file.
            }
            if (attempt == TemporaryAttempts)
                throw new IOException($"a new file in {directory} was taken for abandoned as it was made, {TemporaryAttempts} times");
        }
    }

    /// <summary>A new file, locked; null when a sweep deleted it before the lock.</summary>
    private (string Path, FileStream Stream)? LockedTemporary(string directory, string prefix)
    {
        var (path, stream) = ExclusiveFile.Create(directory, prefix, cleanup);
        try
        {
            CacheLock.HoldWhileOpen(stream);
            if (File.Exists(path))
                return (path, stream);
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
        stream.Dispose();
        File.Delete(path);
        return null;
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
        Write(entry);
        log($"cache: kept {Url} as {entry.Sha256} ({entry.Length} bytes)");
        // The URL's earlier version goes unless another URL's entry still names it.
        if (replaced is not null && replaced.Sha256 != entry.Sha256)
            cache.DropUnnamedObject(replaced.Sha256);
        CachePruner.Prune(cache, cache.MaxSize, log);
    }

    /// <summary>Records that the source has just confirmed the entry current; returns it as recorded.</summary>
    public CacheEntry Validated(CacheEntry entry)
    {
        var now = entry with { Validated = DateTimeOffset.UtcNow };
        Write(now);
        return now;
    }

    /// <summary>Replaces the entry file atomically (a new file renamed over it), which also marks it as just used.</summary>
    private void Write(CacheEntry entry)
    {
        var (temporary, stream) = Temporary(cache.EntriesDirectory, ImageCache.EntryPrefix);
        using var writer = new StreamWriter(stream);
        foreach (var line in entry.Lines())
            writer.Write(line + "\n");
        writer.Flush();
        // Renamed while still open, so still locked: no other run takes it for abandoned.
        File.Move(temporary, cache.EntryPath(key), overwrite: true);
    }

    /// <summary>Marks the entry as just used, for least-recently-used pruning.</summary>
    public void Touch() => File.SetLastWriteTimeUtc(cache.EntryPath(key), DateTime.UtcNow);

    /// <summary>Drops an entry whose object turned out damaged.</summary>
    public void Forget(CacheEntry entry) => cache.Remove(key, entry);

    public void Dispose() => held.Dispose();
}

using System.Security.Cryptography;
using System.Text;
using Eliloader.Boot;
using Eliloader.Configuration;
using Eliloader.Errors;

namespace Eliloader.Cache;

/// <summary>
/// The image cache (cache-dir): objects/ holds each kernel or ramdisk once, named by
/// its SHA-256; entries/ says, for each URL (named by the SHA-256 of the URL), which
/// object holds it and how to revalidate it; locks/ serialises the runs working on
/// one URL. The cache only ever hands out copies: the toolstack deletes what it gets.
/// </summary>
public sealed class ImageCache
{
    /// <summary>How the cache's temporary files start: a download's copy in objects/, an entry being written in entries/.</summary>
    public const string PartialPrefix = ".partial";
    public const string EntryPrefix = ".entry";

    private const int LockWaitStalls = 5;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly RunCleanup cleanup;
    private readonly Action<string> log;

    private readonly TimeSpan lockWait;

    private ImageCache(string directory, long maxSize, TimeSpan recheckAfter, TimeSpan lockWait, RunCleanup cleanup, Action<string> log)
    {
        Directory = directory;
        MaxSize = maxSize;
        RecheckAfter = recheckAfter;
        this.lockWait = lockWait;
        this.cleanup = cleanup;
        this.log = log;
    }

    public string Directory { get; }
    public long MaxSize { get; }

    /// <summary>How long the source's confirmation that a file is current holds (cache-recheck-after).</summary>
    public TimeSpan RecheckAfter { get; }
    public string ObjectsDirectory => Path.Combine(Directory, "objects");
    public string EntriesDirectory => Path.Combine(Directory, "entries");
    private string LocksDirectory => Path.Combine(Directory, "locks");

    /// <summary>
    /// The cache, or null when cache-dir is empty. A boot never fails for the cache's
    /// sake: a directory that cannot be made means downloading as if there were none.
    /// </summary>
    public static ImageCache? Open(Settings settings, RunCleanup cleanup, Action<string> log)
    {
        if (settings.CacheDir is not { } directory)
            return null;
        // Another run's download may take minutes, but not many stall timeouts' worth.
        var cache = new ImageCache(directory, settings.CacheMaxSize, TimeSpan.FromSeconds(settings.CacheRecheckAfter), TimeSpan.FromSeconds(settings.DownloadTimeout * LockWaitStalls), cleanup, log);
        try
        {
            foreach (var path in new[] { directory, cache.ObjectsDirectory, cache.EntriesDirectory, cache.LocksDirectory })
                System.IO.Directory.CreateDirectory(path, OwnerOnly);
            return cache;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"image cache {directory} not usable, downloading without it: {e.Message}");
            return null;
        }
    }

    /// <summary>The cache for a command that is about nothing else (prefetch, cache …): its absence is an error.</summary>
    public static ImageCache Required(Settings settings, RunCleanup cleanup, Action<string> log) =>
        Open(settings, cleanup, log) ?? throw new ApiError(ApiError.InternalError, settings.CacheDir is null
            ? "The image cache is off (cache-dir is empty in the configuration)."
            : $"The image cache {settings.CacheDir} cannot be used; see the system log.");

    /// <summary>
    /// What the cache at cache-dir holds for a URL, read without creating or locking
    /// anything (for a diagnosis): the entry when its object is there, else null.
    /// </summary>
    public static CacheEntry? Peek(Settings settings, string url)
    {
        if (settings.CacheDir is not { } directory)
            return null;
        var entry = ReadEntry(Path.Combine(directory, "entries", Key(url)));
        return entry is not null && entry.Url == url && File.Exists(Path.Combine(directory, "objects", entry.Sha256)) ? entry : null;
    }

    /// <summary>
    /// Waits for, then holds, the right to check and fill the cache for one URL
    /// (exclusive) or to copy its file out (shared); an IOException when the wait is too
    /// long. Null when <paramref name="stopWaiting"/> ends the wait first.
    /// </summary>
    public CacheSlot? Lock(string url, LockMode mode, Func<bool>? stopWaiting = null)
    {
        var key = Key(url);
        var lockPath = LockPath(key);
        var taken = CacheLock.TryAcquire(lockPath, mode);
        if (taken is null)
        {
            log($"waiting for another eliloader fetching {url}");
            taken = CacheLock.Acquire(lockPath, mode, lockWait, stopWaiting);
            if (taken is null)
                return null;
        }
        if (mode == LockMode.Exclusive)
            RemoveAbandonedTemporaries();
        return new CacheSlot(this, url, key, taken, mode, cleanup, log);
    }

    /// <summary>
    /// The entry for a URL as it stands, read without its lock (entries are replaced by
    /// renaming, so they are read whole or not at all): null unless its object is there
    /// with the size recorded.
    /// </summary>
    public CacheEntry? Current(string url)
    {
        var entry = ReadEntry(EntryPath(Key(url)));
        if (entry is null || entry.Url != url)
            return null;
        var content = new FileInfo(ObjectPath(entry.Sha256));
        return content.Exists && content.Length == entry.Length ? entry : null;
    }

    /// <summary>
    /// Deletes the temporary files of runs that died (SIGKILL, a crash, a power cut):
    /// those no live process holds locked. Files of runs still working are left alone.
    /// </summary>
    public void RemoveAbandonedTemporaries()
    {
        var temporaries = new DirectoryInfo(ObjectsDirectory).EnumerateFiles(PartialPrefix + "-*")
            .Concat(new DirectoryInfo(EntriesDirectory).EnumerateFiles(EntryPrefix + "-*"));
        foreach (var file in temporaries)
        {
            try
            {
                if (CacheLock.DeleteIfAbandoned(file.FullName))
                    log($"cache: removed {file.FullName}, left by a run that died");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log($"cache: cannot remove {file.FullName}: {e.Message}");
            }
        }
    }

    public string ObjectPath(string sha256) => Path.Combine(ObjectsDirectory, sha256);

    public string EntryPath(string key) => Path.Combine(EntriesDirectory, key);

    public string LockPath(string key) => Path.Combine(LocksDirectory, key);

    /// <summary>Every readable entry with its key and when it was last used, oldest use first.</summary>
    public IReadOnlyList<(string Key, CacheEntry Entry, DateTime LastUsed)> Entries() =>
        new DirectoryInfo(EntriesDirectory).EnumerateFiles()
            .Where(file => !file.Name.StartsWith('.'))
            .Select(file => (file.Name, Entry: ReadEntry(file.FullName), file.LastWriteTimeUtc))
            .Where(item => item.Entry is not null)
            .Select(item => (item.Name, item.Entry!, item.LastWriteTimeUtc))
            .OrderBy(item => item.LastWriteTimeUtc)
            .ToList();

    public static CacheEntry? ReadEntry(string path)
    {
        try
        {
            return CacheEntry.Parse(File.ReadLines(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes an entry, and its object when no other URL's entry shares it. The caller
    /// holds the URL's lock. Says whether the object went, and its bytes with it.
    /// </summary>
    public bool Remove(string key, CacheEntry entry)
    {
        File.Delete(EntryPath(key));
        log($"cache: removed {entry.Url} ({entry.Length} bytes)");
        return DropUnnamedObject(entry.Sha256);
    }

    /// <summary>Deletes an object no entry names any more; says whether it did.</summary>
    public bool DropUnnamedObject(string sha256)
    {
        if (Entries().Any(other => other.Entry.Sha256 == sha256))
            return false;
        File.Delete(ObjectPath(sha256));
        return true;
    }

    /// <summary>The bytes the entries' objects take, each object counted once.</summary>
    public static long TotalSize(IEnumerable<(string Key, CacheEntry Entry, DateTime LastUsed)> entries) =>
        entries.DistinctBy(e => e.Entry.Sha256).Sum(e => e.Entry.Length);

    private static string Key(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
}

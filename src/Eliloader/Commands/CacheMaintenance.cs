using System.Globalization;
using Eliloader.Boot;
using Eliloader.Cache;
using Eliloader.Configuration;
using Eliloader.Verification;

namespace Eliloader.Commands;

/// <summary>
/// `eliloader cache list | verify | prune`: what the image cache holds, whether every
/// file still has the digest it is kept under, and removing the least recently used
/// files down to a size.
/// </summary>
public sealed class CacheMaintenance(ImageCache cache, TextWriter output, Action<string> log)
{
    /// <summary>Removes the least recently used files until the cache holds at most <paramref name="maxSize"/> bytes.</summary>
    public void Prune(long maxSize)
    {
        var removed = CachePruner.Prune(cache, maxSize, log);
        foreach (var entry in removed)
            output.WriteLine($"removed {entry.Url} ({entry.Length} bytes)");
        output.WriteLine($"{removed.Count} removed; {Total()} bytes kept in {cache.Directory}");
    }

    public void List()
    {
        var entries = cache.Entries();
        foreach (var (_, entry, used) in entries.OrderBy(e => e.Entry.Url, StringComparer.Ordinal))
        {
            var validators = entry.Validators is { } v ? ", validators " + string.Join(" / ", new[] { v.ETag, v.LastModified }.OfType<string>()) : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{entry.Url}\n  {entry.Length} bytes, sha256 {entry.Sha256}\n  fetched {entry.Fetched.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, last used {used:yyyy-MM-dd HH:mm:ss}Z{validators}"));
        }
        output.WriteLine($"{entries.Count} files, {Total()} bytes in {cache.Directory} (cache-max-size {cache.MaxSize})");
    }

    /// <returns>Whether every file was intact.</returns>
    public bool Verify()
    {
        cache.RemoveAbandonedTemporaries();
        var damaged = 0;
        foreach (var (key, entry, _) in cache.Entries())
        {
            using var held = CacheLock.TryAcquire(cache.LockPath(key));
            if (held is null)
            {
                output.WriteLine($"in use, not checked: {entry.Url}");
                continue;
            }
            var actual = Sha256Of(cache.ObjectPath(entry.Sha256));
            if (actual == entry.Sha256)
            {
                output.WriteLine($"ok: {entry.Url}");
                continue;
            }
            damaged++;
            output.WriteLine($"damaged, removed: {entry.Url} (sha256 {actual ?? "unreadable"}, kept under {entry.Sha256})");
            cache.Remove(key, entry);
        }
        return damaged == 0;
    }

    private static string? Sha256Of(string path)
    {
        try
        {
            using var file = new Repositories.RemoteFile(path, null, File.OpenRead(path));
            return Transfer.Copy(file, [Stream.Null], long.MaxValue, [Digest.Sha256], NoProgress.Instance).Digests[Digest.Sha256];
        }
        catch (IOException)
        {
            return null;
        }
    }

    private long Total() => ImageCache.TotalSize(cache.Entries());
}

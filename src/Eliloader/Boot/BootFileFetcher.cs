using Eliloader.Cache;
using Eliloader.Errors;
using Eliloader.Repositories;
using Eliloader.Verification;

namespace Eliloader.Boot;

/// <summary>One file a boot needs: where it is in the tree, what its copy is called, its limit and its published digest.</summary>
/// <param name="Md5">Whether the MD5 is wanted (a ramdisk that guest-installer maps might name).</param>
public sealed record BootFileRequest(string Path, string Prefix, long Limit, PublishedChecksum? Published, bool Md5);

/// <summary>Where a delivered file came from.</summary>
public enum Delivery
{
    /// <summary>Downloaded; not kept (no cache, or a source that gives no validators to revalidate with).</summary>
    Downloaded,

    /// <summary>Downloaded and kept in the cache.</summary>
    DownloadedAndCached,

    /// <summary>Copied from the cache after the source confirmed it current.</summary>
    FromCache,
}

/// <summary>A file delivered into the boot directory, and the published digest it was checked against, if any.</summary>
public sealed record FetchedFile(string Path, string Url, long Length, string? Md5, Delivery Delivery, PublishedChecksum? Verified);

/// <summary>
/// Brings a repository file into the boot directory. With the image cache on, a copy
/// the source confirmed current moments ago (cache-recheck-after) is copied out as it
/// is; an older one is revalidated with a conditional request and copied if current;
/// otherwise the file is downloaded into the boot file and the cache at once. Runs
/// wanting one file at once wait for one check or download (the exclusive lock), then
/// copy out side by side (shared). Either way the copy handed out is checked against
/// the digest the mirror publishes before anyone gets it.
/// </summary>
public sealed class BootFileFetcher(BootDirectory bootDir, ImageCache? cache, IProgressDisplay progress, Action<string> log)
{
    /// <summary>
    /// Rounds in which a run waiting on another's check or download stops waiting as soon
    /// as a fresh entry appears; past them (the entry went stale again, or its copy was
    /// damaged, each time) it waits for the check itself, and then downloads afresh.
    /// </summary>
    private const int SharingRounds = 3;

    /// <param name="missing">The family's INVALID_SOURCE message for a file the tree lacks.</param>
    public FetchedFile Fetch(IRepository repository, BootFileRequest request, Func<string, string> missing)
    {
        var url = repository.Describe(request.Path);
        CacheEntry? damaged = null;
        for (var round = 1; ; round++)
        {
            var sharing = round <= SharingRounds;
            using var slot = Lock(url, sharing ? () => Reusable(cache!.Current(url), request, damaged) : null);
            if (slot is null)
            {
                using var direct = Open(repository, request.Path, null, missing);
                return Download(direct, request, null);
            }
            var known = round <= SharingRounds + 1 ? slot.Entry : null;
            if (known is not null && known == damaged && !slot.Shared)
            {
                slot.Forget(known);
                known = null;
            }
            if (sharing && Reusable(known, request, damaged))
            {
                if (CopyOut(slot, known!, request) is { } copied)
                    return copied;
                damaged = known;
                continue;
            }
            // Gone stale, or found damaged, between another run's check and this lock: only an exclusive slot may check.
            if (slot.Shared)
                continue;
            using var file = Open(repository, request.Path, known?.Validators, missing);
            if (!file.NotModified || known is null)
                return Download(file, request, slot);
            known = slot.Validated(known);
            if (CopyOut(slot, known, request) is { } current)
                return current;
            damaged = known;
        }
    }

    /// <summary>
    /// Whether the cache's copy may go out without asking the source: it is there, this
    /// run has not found it damaged, the source confirmed it current moments ago, and the
    /// digest the tree publishes now does not contradict it (a mirror that replaced the
    /// file and its list within those moments).
    /// </summary>
    private bool Reusable(CacheEntry? entry, BootFileRequest request, CacheEntry? damaged) =>
        entry is not null && entry != damaged
        && entry.ValidatedWithin(cache!.RecheckAfter, DateTimeOffset.UtcNow)
        && request.Published?.Digest switch
        {
            { Algorithm: Digest.Sha256, Hex: var hex } => hex == entry.Sha256,
            { Algorithm: Digest.Md5, Hex: var hex } => entry.Md5 is null || hex == entry.Md5,
            _ => true,
        };

    /// <summary>
    /// The URL's place in the cache, exclusive; shared instead once the wait for another
    /// run's check or download ends with <paramref name="freshAppears"/>. None when the
    /// cache is off or its lock cannot be had (a boot never fails for the cache).
    /// </summary>
    private CacheSlot? Lock(string url, Func<bool>? freshAppears)
    {
        try
        {
            return cache is null ? null : cache.Lock(url, LockMode.Exclusive, freshAppears) ?? cache.Lock(url, LockMode.Shared);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"cache: not used for {url}: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The cached copy into the boot directory, under a shared lock so that other runs
    /// copy beside this one; null when the object is gone or damaged.
    /// </summary>
    private FetchedFile? CopyOut(CacheSlot slot, CacheEntry entry, BootFileRequest request)
    {
        slot.Share();
        slot.Touch();
        using var kept = slot.OpenObject(entry);
        return kept is null ? null : FromCache(kept, entry, request);
    }

    private RemoteFile Open(IRepository repository, string path, Validators? known, Func<string, string> missing)
    {
        try
        {
            return repository.OpenIfChanged(path, known);
        }
        catch (SourceUnavailableException e)
        {
            log($"cannot open {e.Url}: {e.Reason}");
            throw new ApiError(ApiError.InvalidSource, missing(e.Url));
        }
    }

    private FetchedFile Download(RemoteFile file, BootFileRequest request, CacheSlot? slot)
    {
        var (path, stream) = bootDir.Create(request.Prefix);
        // Only a file its source can revalidate is worth keeping.
        using var copy = slot is not null && file.Validators is not null ? CacheCopy.Begin(slot, file.Length, log) : null;
        TransferResult result;
        using (stream)
            result = Receive(file, copy is null ? [stream] : [stream, copy], request, copy is null ? [] : [Digest.Sha256]);
        Verify(file.Url, request.Published, result);
        var now = DateTimeOffset.UtcNow;
        var kept = copy?.Keep(new CacheEntry(file.Url, result.Digests[Digest.Sha256], result.Digests.GetValueOrDefault(Digest.Md5),
            result.Length, file.Validators, Fetched: now, Validated: now)) ?? false;
        log($"fetched {file.Url}: {result.Length} bytes into {path}");
        return new FetchedFile(path, file.Url, result.Length, result.Digests.GetValueOrDefault(Digest.Md5),
            kept ? Delivery.DownloadedAndCached : Delivery.Downloaded, request.Published);
    }

    /// <returns>The copy, or null when the cached object is not the one its digest names (damaged, or unreadable).</returns>
    private FetchedFile? FromCache(FileStream kept, CacheEntry entry, BootFileRequest request)
    {
        var (path, stream) = bootDir.Create(request.Prefix);
        // The MD5 kept with the entry holds once the SHA-256 does: it is not taken again.
        var md5 = request.Md5 ? entry.Md5 : null;
        TransferResult? result = null;
        using (stream)
        using (var cached = new RemoteFile(entry.Url, entry.Length, kept))
        {
            try
            {
                result = Receive(cached, [stream], md5 is null ? request : request with { Md5 = false }, [Digest.Sha256]);
            }
            catch (IOException e)
            {
                log($"cache: the copy of {entry.Url} cannot be read ({e.Message})");
            }
        }
        if (result?.Digests[Digest.Sha256] != entry.Sha256)
        {
            log($"cache: the copy of {entry.Url} is damaged (SHA-256 {result?.Digests[Digest.Sha256] ?? "unknown"}, not {entry.Sha256}); fetching it again");
            File.Delete(path);
            return null;
        }
        Verify(entry.Url, request.Published, result);
        log($"copied {entry.Url} from the cache: {result.Length} bytes into {path}");
        return new FetchedFile(path, entry.Url, result.Length, md5 ?? result.Digests.GetValueOrDefault(Digest.Md5), Delivery.FromCache, request.Published);
    }

    private TransferResult Receive(RemoteFile file, Stream[] targets, BootFileRequest request, string[] always)
    {
        var algorithms = always.Concat(request.Md5 ? [Digest.Md5] : []).Concat(request.Published is { } p ? [p.Digest.Algorithm] : []);
        try
        {
            return Transfer.Copy(file, targets, request.Limit, algorithms, progress);
        }
        catch (SourceUnavailableException e)
        {
            throw new ApiError(ApiError.InvalidSource, $"Download of '{e.Url}' failed: {e.Reason}.");
        }
    }

    private static void Verify(string url, PublishedChecksum? published, TransferResult result)
    {
        if (published is null)
            return;
        var actual = result.Digests[published.Digest.Algorithm];
        if (actual != published.Digest.Hex)
            throw new ApiError(ApiError.InvalidSource,
                $"File '{url}' does not match the {published.Digest.Algorithm} checksum published in {published.ListUrl}: expected {published.Digest.Hex}, received {actual}.");
    }
}

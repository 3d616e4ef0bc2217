namespace Eliloader.Cache;

/// <summary>
/// The cache's copy of a download in progress, written beside the boot file. It never
/// fails the boot: the first write error (a full disk, say) stops the copy, and the
/// file is then simply not kept.
/// </summary>
public sealed class CacheCopy : Stream
{
    private const long MinFreeShare = 10;

    private readonly CacheSlot slot;
    private readonly string path;
    private readonly FileStream file;
    private readonly Action<string> log;
    private bool failed;

    private CacheCopy(CacheSlot slot, string path, FileStream file, Action<string> log)
    {
        this.slot = slot;
        this.path = path;
        this.file = file;
        this.log = log;
    }

    /// <summary>
    /// A new copy, or null (and the download goes on without the cache) when the cache
    /// cannot take one, or when keeping <paramref name="length"/> more bytes would leave
    /// its filesystem less than a tenth free: the cache usually shares dom0's root
    /// filesystem with the logs and XAPI's database.
    /// </summary>
    public static CacheCopy? Begin(CacheSlot slot, long? length, Action<string> log)
    {
        try
        {
            var disk = new DriveInfo(slot.Directory);
            if (disk.AvailableFreeSpace - (length ?? 0) < disk.TotalSize / MinFreeShare)
            {
                log($"cache: not keeping {slot.Url}: {length} more bytes would leave {slot.Directory} less than a tenth free");
                return null;
            }
            var (path, file) = slot.NewObject();
            return new CacheCopy(slot, path, file, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"cache: cannot keep {slot.Url}: {e.Message}");
            return null;
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (failed)
            return;
        try
        {
            file.Write(buffer, offset, count);
        }
        catch (IOException e)
        {
            failed = true;
            log($"cache: stopped keeping {slot.Url}: {e.Message}");
        }
    }

    /// <summary>Publishes the copy under the entry, unless writing or committing it failed; says whether it was kept.</summary>
    public bool Keep(CacheEntry entry)
    {
        try
        {
            file.Flush();
            if (!failed)
            {
                // Committed while still open, so still locked: no other run takes it for abandoned.
                slot.Commit(path, entry);
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"cache: cannot keep {slot.Url}: {e.Message}");
        }
        finally
        {
            file.Dispose();
        }
        File.Delete(path);
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            file.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

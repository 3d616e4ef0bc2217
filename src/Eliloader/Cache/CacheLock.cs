using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Eliloader.Cache;

/// <summary>How a lock file is held: shared by the runs copying a file out, exclusive for the one checking or downloading it.</summary>
public enum LockMode
{
    // flock(2)'s LOCK_SH and LOCK_EX.
    Shared = 1,
    Exclusive = 2,
}

/// <summary>
/// flock(2) on a lock file of the cache, held exclusively while a file is checked or
/// downloaded and shared while it is copied out, so runs on this host (and on a pool's
/// hosts, where the cache directory is shared over NFS) download each file once and
/// copy it side by side. The kernel drops the lock if the process dies.
/// </summary>
public sealed partial class CacheLock : IDisposable
{
    private const int ReadWriteCloseOnExec = 0x2 | 0x80000;
    private const int ReadWriteCreateCloseOnExec = ReadWriteCloseOnExec | 0x40;
    private const int OwnerReadWrite = 0x180;
    private const int ExclusiveLock = (int)LockMode.Exclusive;
    private const int NonBlocking = 4;
    private const int WouldBlock = 11;

    private readonly SafeFileHandle handle;

    private CacheLock(SafeFileHandle handle) => this.handle = handle;

    /// <summary>
    /// Waits for the lock while another run downloads, up to <paramref name="maxWait"/>:
    /// a run stuck where no timeout reaches (a hard NFS mount, say) must not hold every
    /// other VM start with it. Past the wait this is an IOException. Null when
    /// <paramref name="stopWaiting"/>, asked between attempts, says the lock is no longer needed.
    /// </summary>
    public static CacheLock? Acquire(string path, LockMode mode, TimeSpan maxWait, Func<bool>? stopWaiting = null)
    {
        var deadline = DateTime.UtcNow + maxWait;
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (TryAcquire(path, mode) is { } taken)
                return taken;
            if (stopWaiting?.Invoke() == true)
                return null;
            if (DateTime.UtcNow >= deadline)
                throw new IOException($"another eliloader has held {path} for {maxWait.TotalSeconds:0} seconds");
            Thread.Sleep(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 50));
        }
    }

    /// <summary>The lock if nobody holds it against <paramref name="mode"/> now, else null (the pruner passes over files in use).</summary>
    public static CacheLock? TryAcquire(string path, LockMode mode = LockMode.Exclusive)
    {
        var handle = OpenLockFile(path);
        if (Flock(handle, (int)mode | NonBlocking) == 0)
            return new CacheLock(handle);
        var error = Marshal.GetLastPInvokeError();
        handle.Dispose();
        return error == WouldBlock ? null : throw new IOException($"flock {path}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    /// <summary>
    /// Turns an exclusive lock into a shared one, so that other runs may copy the file
    /// out beside this one. Nobody else holds the file while this run holds it
    /// exclusively, so the kernel has nothing to wait for.
    /// </summary>
    public void Share() => Flock(handle, (int)LockMode.Shared | NonBlocking);

    /// <summary>
    /// Locks a file this run is writing (a download's copy, an entry being written)
    /// for as long as <paramref name="file"/> stays open, so that other runs can tell it
    /// from one a killed run left behind. An IOException if someone holds it already.
    /// </summary>
    public static void HoldWhileOpen(FileStream file)
    {
        if (Flock(file.SafeFileHandle, ExclusiveLock | NonBlocking) != 0)
            throw new IOException($"flock {file.Name}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>
    /// Deletes a temporary file of the cache if no live process holds it (see
    /// <see cref="HoldWhileOpen"/>): the kernel let go of its lock when its writer died,
    /// even of SIGKILL. Says whether it did.
    /// </summary>
    public static bool DeleteIfAbandoned(string path)
    {
        var descriptor = Open(path, ReadWriteCloseOnExec, 0);
        if (descriptor < 0)
            return false;
        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (Flock(handle, ExclusiveLock | NonBlocking) != 0)
            return false;
        File.Delete(path);
        return true;
    }

    public void Dispose() => handle.Dispose();

    private static SafeFileHandle OpenLockFile(string path)
    {
        var descriptor = Open(path, ReadWriteCreateCloseOnExec, OwnerReadWrite);
        return descriptor < 0
            ? throw new IOException($"open {path}: {Marshal.GetLastPInvokeErrorMessage()}")
            : new SafeFileHandle(descriptor, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle descriptor, int operation);
}

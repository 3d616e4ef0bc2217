using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Eliloader.Tests.Support;

/// <summary>
/// The machine's NFS ports (rpcbind 111, NFS 2049, MOUNT 20048) are singletons: whoever
/// serves on them holds this lock, an in-process gate and an exclusive flock(2) on
/// /tmp/eliloader-nfs.lock, which the suites of other worktrees take too, so they wait
/// for each other instead of colliding. Taking it also checks that nothing else listens there.
/// </summary>
public sealed class NfsHostLock : IDisposable
{
    public const string LockFile = "/tmp/eliloader-nfs.lock";
    public static readonly int[] Ports = [111, 2049, 20048];
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int Unlock = 8;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private readonly int descriptor;

    public NfsHostLock()
    {
        Gate.Wait();
        descriptor = Open(LockFile, 0x42 /* O_RDWR | O_CREAT */, 0x1b6);
        var deadline = DateTime.UtcNow.AddMinutes(30);
        while (Flock(descriptor, LockExclusive | LockNonBlocking) != 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                Release();
                throw new TimeoutException($"{LockFile} stayed locked for 30 minutes");
            }
            Thread.Sleep(200);
        }
        foreach (var port in Ports.Where(Listening))
        {
            Release();
            throw new InvalidOperationException($"something else listens on 127.0.0.1:{port}; stop it (systemctl stop rpcbind.socket rpcbind nfs-ganesha) before the NFS tests");
        }
    }

    public static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Release()
    {
        Flock(descriptor, Unlock);
        Close(descriptor);
        Gate.Release();
    }

    public void Dispose() => Release();

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open(string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "flock")]
    private static extern int Flock(int descriptor, int operation);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);
}

using System.Security.Cryptography;
using Eliloader.Boot;
using Eliloader.Errors;
using Eliloader.Xen;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// An NFS export mounted read-only on a fresh directory through the configured mount
/// command. It is unmounted and the directory removed when the run ends, whether it
/// succeeded, failed or was signalled.
/// </summary>
public sealed class NfsMount : IDisposable
{
    private readonly string umount;
    private readonly TimeSpan timeout;
    private readonly Action<string> log;
    private readonly Lock gate = new();
    private bool mounted;

    public string MountPoint { get; }

    /// <param name="timeout">How long mount and umount may take: a dead NFS server must not hang the VM start.</param>
    public NfsMount(NfsExport export, string repository, string mount, string umount, string tempDir, TimeSpan timeout, RunCleanup cleanup, Action<string> log)
    {
        this.umount = umount;
        this.timeout = timeout;
        this.log = log;
        MountPoint = Path.Combine(tempDir, "nfs-repo-" + RandomNumberGenerator.GetHexString(12, lowercase: true));
        Directory.CreateDirectory(MountPoint, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        cleanup.Register($"unmounted {MountPoint}", Dispose);
        // A signal may arrive while mount runs: from here on, cleanup tries to unmount.
        lock (gate)
            mounted = true;
        // Read-only as before; nosuid and nodev as well, since the export is the guest's side.
        ChildResult result;
        try
        {
            result = ChildProcess.Run(mount, ["-t", "nfs", "-o", "ro,nosuid,nodev", export.MountSource, MountPoint], timeout);
        }
        catch (ChildProcessException e)
        {
            // Killed or never started: whether it mounted is unknown, so Dispose tries to unmount.
            log($"mount {export.MountSource}: {e.Message}");
            Dispose();
            throw new ApiError(ApiError.InvalidSource, $"nfs repo {repository}");
        }
        if (result.ExitCode != 0)
        {
            log($"mount {export.MountSource} failed ({result.ExitCode}): {(result.Stdout + result.Stderr).Trim()}");
            lock (gate)
                mounted = false;
            Dispose();
            throw new ApiError(ApiError.InvalidSource, $"nfs repo {repository}");
        }
        log($"mounted {export.MountSource} read-only on {MountPoint}");
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (mounted)
            {
                var (status, output) = Run(umount, [MountPoint]);
                if (status != 0)
                {
                    log($"umount {MountPoint} failed ({status}): {output}; detaching lazily");
                    Run(umount, ["-l", MountPoint]);
                }
                mounted = false;
            }
            if (Directory.Exists(MountPoint))
            {
                try
                {
                    Directory.Delete(MountPoint);
                }
                catch (IOException e)
                {
                    log($"could not remove {MountPoint}: {e.Message}");
                }
            }
        }
    }

    /// <summary>Runs umount within the time bound; a failure or a timeout is a status, for the lazy detach to follow.</summary>
    private (int Status, string Output) Run(string program, string[] args)
    {
        try
        {
            var result = ChildProcess.Run(program, args, timeout);
            return (result.ExitCode, (result.Stdout + result.Stderr).Trim());
        }
        catch (ChildProcessException e)
        {
            return (-1, e.Message);
        }
    }
}

using Eliloader.Boot;
using Eliloader.Configuration;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// The fallback of nfs-client = mount: the export mounted read-only for the run through
/// the configured mount command, and read as a local tree.
/// </summary>
public sealed class NfsMountedRepository(NfsMount mount, LocalTreeRepository tree) : IRepository
{
    /// <param name="repository">install-repository as the user wrote it.</param>
    /// <param name="url">The same with a trailing "/", the prefix of every path in messages.</param>
    public static NfsMountedRepository Open(NfsExport export, string repository, string url, Settings settings, RunCleanup cleanup, Action<string> log)
    {
        var mount = new NfsMount(export, repository, settings.Mount, settings.Umount, settings.TempDir, TimeSpan.FromSeconds(settings.DownloadTimeout), cleanup, log);
        return new NfsMountedRepository(mount, new LocalTreeRepository(mount.MountPoint, url, log));
    }

    public string Describe(string path) => tree.Describe(path);

    public bool Exists(string path) => tree.Exists(path);

    public RemoteFile Open(string path) => tree.Open(path);

    public RemoteFile OpenIfChanged(string path, Validators? known) => tree.OpenIfChanged(path, known);

    public void Dispose() => mount.Dispose();
}

namespace Eliloader.Tests.Support;

/// <summary>
/// mount and umount commands for the tests of nfs-client = mount: they record their arguments and, instead of
/// NFS, bind-mount the local directory named by the export's path (server:/dir binds /dir).
/// </summary>
public sealed class StandInMount
{
    private readonly string directory;

    /// <param name="lingerSeconds">How long mount keeps running after mounting, as a slow NFS server would.</param>
    public StandInMount(Scenario host, int lingerSeconds = 0)
    {
        directory = host.Directory;
        Write("mount", $$"""
            src="${@: -2:1}"; target="${@: -1}"; dir="${src#*:}"
            [ -d "$dir" ] || { echo "mount.nfs: access denied by server while mounting $src" >&2; exit 32; }
            /bin/mount --bind "$dir" "$target" || exit 32
            sleep {{lingerSeconds}}
            """);
        Write("umount", """exec /bin/umount "$@" """);
        host.Config["nfs-client"] = "mount";
        host.Config["mount"] = Path.Combine(directory, "mount");
        host.Config["umount"] = Path.Combine(directory, "umount");
        host.Config["temp-dir"] = TempDir;
        System.IO.Directory.CreateDirectory(TempDir);
    }

    /// <summary>Where eliloader makes its mount points in these tests.</summary>
    public string TempDir => Path.Combine(directory, "tmp");

    public string[] Calls(string command) =>
        File.Exists(Path.Combine(directory, command + ".calls")) ? File.ReadAllLines(Path.Combine(directory, command + ".calls")) : [];

    /// <summary>Mount points under this scenario still listed by the kernel.</summary>
    public string[] LiveMounts() =>
        File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(directory, StringComparison.Ordinal)).ToArray();

    private void Write(string name, string body)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, $$"""
            #!/bin/bash
            (IFS='|'; echo "$*") >> '{{directory}}/{{name}}.calls'
            {{body}}
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

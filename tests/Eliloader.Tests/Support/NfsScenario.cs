namespace Eliloader.Tests.Support;

/// <summary>What the tests of the built-in NFS client share: a host whose temp-dir is watched, and the checks that nothing was left.</summary>
public static class NfsScenario
{
    public static Scenario Create()
    {
        var host = new Scenario();
        host.Config["temp-dir"] = Path.Combine(host.Directory, "tmp");
        Directory.CreateDirectory(host.Config["temp-dir"]);
        return host;
    }

    /// <summary>A first boot of a new VM (one per install: a first boot moves its VM on to the next round).</summary>
    public static ProcessResult Install(Scenario host, string repository, string distro = "rhlike")
    {
        var index = host.State.Vms.Count + 1;
        var uuid = $"nfs-vm-{index}";
        host.AddVm(new() { ["install-distro"] = distro, ["install-repository"] = repository }, uuid, domid: 10 + index);
        return host.Run("-q", "--vm", uuid, "");
    }

    /// <summary>The host's ramdisk limit raised to 300 MB, for files past the default 128 MiB.</summary>
    public static void RaiseRamdiskLimit(Scenario host) => host.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = "300000000";

    /// <summary>No mount of any kind, nothing in temp-dir, and after a failure nothing in the boot directory.</summary>
    public static void AssertNothingLeft(Scenario host, bool failed = true)
    {
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mounts"), m => m.Split(' ')[2].StartsWith("nfs", StringComparison.Ordinal) || m.Contains(host.Directory));
        Assert.Empty(Directory.GetFileSystemEntries(host.Config["temp-dir"]));
        if (failed)
            Assert.Empty(host.BootFiles());
    }

    /// <summary>Creates the directory a file path names, and returns the path.</summary>
    public static string EnsureDirectory(this string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return file;
    }
}

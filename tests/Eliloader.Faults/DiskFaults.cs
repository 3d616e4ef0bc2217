using Eliloader.Faults.Harness;
using Eliloader.Faults.Inputs;

namespace Eliloader.Faults;

/// <summary>
/// Full and read-only disks (small tmpfs mounts) under the boot directory, the cache,
/// temp-dir and state-dir. A full boot directory fails the boot and leaves nothing; the
/// cache never fails one.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class DiskFaults(FaultSuite suite) : FaultCategory(suite)
{
    /// <summary>nginx serving a kernel and a ramdisk of these sizes (random bytes) to a pygrub-family network install.</summary>
    private static string Mirror(FaultHost host, int kernel, int ramdisk)
    {
        var (tree, url) = host.Suite.Nginx.ScratchTree();
        Shell.Run($"head -c {kernel} /dev/urandom > {tree}/vmlinuz; head -c {ramdisk} /dev/urandom > {tree}/initrd");
        host.NetworkVm(url);
        return url;
    }

    /// <summary>A boot with one of its directories on a tmpfs mounted with these options.</summary>
    private static FaultCase On(string name, Expected expected, string key, string options, int kernel = 4096, int ramdisk = 8192) =>
        new(name, expected, host =>
        {
            Mirror(host, kernel, ramdisk);
            host.Config[key] = host.SmallDisk(key, options);
            host.Boot();
        });

    private const string NoSpace = "No space left on device";

    private static readonly FaultCase FullAtKernel =
        On("boot-dir full at the kernel", Expected.Error("INTERNAL_ERROR", NoSpace), "boot-dir", "size=64k", kernel: 200_000);

    private static readonly FaultCase[] Cases =
    [
        FullAtKernel,
        FullAtKernel.InCodeLines(),
        On("boot-dir full at the ramdisk", Expected.Error("INTERNAL_ERROR", NoSpace), "boot-dir", "size=256k", kernel: 100_000, ramdisk: 300_000),
        On("boot-dir without a free inode", Expected.Error("INTERNAL_ERROR", ""), "boot-dir", "nr_inodes=1"),
        On("boot-dir read-only", Expected.Error("INTERNAL_ERROR", ""), "boot-dir", "ro,size=1m"),
        new("boot-dir full while the ramdisk is patched", Expected.Error("INTERNAL_ERROR", NoSpace), host =>
        {
            RamdiskFaults.Serve(host, Tools.Bytes(() => NewcMember.Archive(new NewcMember("data", new byte[300_000]))));
            host.Config["boot-dir"] = host.SmallDisk("boot-dir", "size=512k");
            host.Boot();
        }),
        new("boot-dir full while an ext2 ramdisk is unpacked", Expected.Error("INTERNAL_ERROR", NoSpace), host =>
        {
            RamdiskFaults.Serve(host, Ext2Faults.Image([]), kind: "ext2");
            host.Config["boot-dir"] = host.SmallDisk("boot-dir", "size=512k");
            host.Boot();
        }),
        On("cache-dir full", Expected.Boots(), "cache-dir", "size=64k", kernel: 100_000, ramdisk: 200_000),
        On("cache-dir read-only", Expected.Boots(), "cache-dir", "ro,size=1m"),
        On("cache-dir without a free inode", Expected.Boots(), "cache-dir", "nr_inodes=3"),
        new("boot-dir full, the files in the cache", Expected.Error("INTERNAL_ERROR", NoSpace), host =>
        {
            // A first VM's boot fills the cache; the toolstack deletes what it was handed.
            var url = Mirror(host, 100_000, 200_000);
            host.Unchecked(host.Start("-q", "--vm", Tests.Support.Scenario.VmUuid, ""));
            foreach (var file in Directory.GetFiles(host.BootDir))
                File.Delete(file);
            host.NetworkVm(url, uuid: "second-vm", domid: 8);
            host.Config["boot-dir"] = host.SmallDisk("boot-dir", "size=128k");
            host.Run("-q", "--vm", "second-vm", "");
        }),
        new("temp-dir full for diagnose --fetch", Expected.Diagnosed("INTERNAL_ERROR", NoSpace + " : '{dir}/temp/"), host =>
        {
            Mirror(host, 100_000, 200_000);
            host.Config["temp-dir"] = host.SmallDisk("temp", "size=64k");
            host.Run("diagnose", "--vm", Tests.Support.Scenario.VmUuid, "--fetch");
        }),
        On("state-dir read-only", Expected.Boots(), "state-dir", "ro,size=1m"),
    ];
}

using System.Buffers.Binary;
using Eliloader.Faults.Harness;

namespace Eliloader.Faults;

/// <summary>
/// CD installs (rhlike, images/xen/) from crafted media: damaged images, hostile
/// directories and Rock Ridge symlinks, made with xorriso and then patched byte by byte.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class IsoFaults(FaultSuite suite) : FaultCategory(suite)
{
    internal const string Refused = "cdrom repo {image}: ";
    private const string Missing = "Unable to access a required file in the specified repository: {image}:/";

    /// <summary>Where the primary volume descriptor starts (sector 16), and its root directory record.</summary>
    private const int Descriptor = 16 * 2048;
    private const int RootRecord = Descriptor + 156;

    /// <summary>The rhlike installer tree, changed by a shell script run in it.</summary>
    internal static string Tree(FaultHost host, string script = "")
    {
        var tree = Path.Combine(host.Bin, "tree");
        Shell.Run($"""
            mkdir -p {tree}/images/xen && cd {tree}
            echo 'stand-in kernel' > images/xen/vmlinuz
            echo 'stand-in ramdisk' > images/xen/initrd.img
            {script}
            """);
        return tree;
    }

    internal static string Master(FaultHost host, string tree)
    {
        var image = Path.Combine(host.Bin, "medium.iso");
        Shell.Run($"xorriso -report_about SORRY -outdev {image} -rockridge on -joliet off -map {tree} / 2>&1");
        return image;
    }

    /// <summary>A CD install from this image in the VM's drive.</summary>
    internal static void Install(FaultHost host, string image)
    {
        host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "rhlike" });
        host.Tokens["image"] = image;
        host.Boot(image);
    }

    internal static FaultCase Medium(string name, Expected expected, string script = "", Action<byte[]>? patch = null) =>
        new(name, expected, host =>
        {
            var image = Master(host, Tree(host, script));
            if (patch is not null)
            {
                var bytes = File.ReadAllBytes(image);
                patch(bytes);
                File.WriteAllBytes(image, bytes);
            }
            Install(host, image);
        });

    private static FaultCase Drive(string name, Expected expected, Func<FaultHost, string> make) =>
        new(name, expected, host => Install(host, make(host)));

    /// <summary>Writes a both-endian 32-bit field (as ISO 9660 stores extents and lengths).</summary>
    private static Action<byte[]> BothEndian(int offset, uint value) => image =>
    {
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(offset), value);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(offset + 4), value);
    };

    private static readonly FaultCase Zeros =
        Drive("100 KB of zeros", Expected.Error("INVALID_SOURCE", Refused + "not an ISO 9660 image"), host =>
        {
            var image = Path.Combine(host.Bin, "zeros.iso");
            File.WriteAllBytes(image, new byte[100_000]);
            return image;
        });

    private static readonly FaultCase[] Cases =
    [
        Zeros,
        Zeros.InCodeLines(),
        Drive("an empty file", Expected.Error("INVALID_SOURCE", Refused + "not an ISO 9660 image"), host =>
        {
            var image = Path.Combine(host.Bin, "empty.iso");
            File.WriteAllBytes(image, []);
            return image;
        }),
        Drive("a directory for a drive", Expected.Error("INVALID_SOURCE", Refused), host => host.Bin),
        Drive("a drive that does not exist", Expected.Error("INVALID_SOURCE", Refused), host => Path.Combine(host.Bin, "no-such-drive")),
        new("image cut inside the kernel", Expected.Error("INVALID_SOURCE", Refused + "…past the end of the image"), host =>
        {
            var image = Master(host, Tree(host, "{ echo KERNEL-STARTS-HERE; head -c 300000 /dev/zero; } > images/xen/vmlinuz"));
            var bytes = File.ReadAllBytes(image);
            File.WriteAllBytes(image, bytes[..(bytes.AsSpan().IndexOf("KERNEL-STARTS-HERE"u8) + 1000)]);
            Install(host, image);
        }),
        Medium("logical block size 0", Expected.Error("INVALID_SOURCE", Refused + "…logical block size 0"),
            patch: image => { image[Descriptor + 128] = 0; image[Descriptor + 129] = 0; image[Descriptor + 130] = 0; image[Descriptor + 131] = 0; }),
        Medium("logical block size 3000", Expected.Error("INVALID_SOURCE", Refused + "…logical block size 3000"),
            patch: image =>
            {
                BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(Descriptor + 128), 3000);
                BinaryPrimitives.WriteUInt16BigEndian(image.AsSpan(Descriptor + 130), 3000);
            }),
        Medium("root directory past the end", Expected.Error("INVALID_SOURCE", Refused + "…past the end of the image"), patch: BothEndian(RootRecord + 2, 0x00FFFFFF)),
        Medium("root directory of 4 GiB", Expected.Error("INVALID_SOURCE", Refused), patch: BothEndian(RootRecord + 10, 0xFFFFFFFF)),
        Medium("no primary volume descriptor", Expected.Error("INVALID_SOURCE", Refused + "…no primary volume descriptor"), patch: image => image[Descriptor] = 2),
        Medium("directory of 10,001 files", Expected.Error("INVALID_SOURCE", Refused + "…more than 10000 entries"),
            script: "mkdir -p crowd && cd crowd && seq -f 'f%05g' 1 10001 | xargs touch && cd .. && rm -rf images && mkdir -p crowd/xen && ln -s crowd images"),
        Medium("symlink to itself", Expected.Error("INVALID_SOURCE", Refused + "…symlinks"), script: "rm -rf images && ln -s images images"),
        Medium("two symlinks pointing at each other", Expected.Error("INVALID_SOURCE", Refused + "…symlinks"),
            script: "rm -rf images && ln -s other images && ln -s images other"),
        Medium("kernel linking to the host's /etc/passwd", Expected.Error("INVALID_SOURCE", Missing),
            script: "rm images/xen/vmlinuz && ln -s /etc/passwd images/xen/vmlinuz"),
        Medium("kernel linking up out of the medium", Expected.Error("INVALID_SOURCE", Missing),
            script: "rm images/xen/vmlinuz && ln -s ../../../../../../etc/passwd images/xen/vmlinuz"),
        Medium("path of 100 symlinked directories", Expected.Error("INVALID_SOURCE", Refused + "…symlinks"),
            script: "rm -rf images && mkdir d0 && for i in $(seq 1 100); do ln -s d$((i-1)) d$i; done && ln -s d100 images"),
        new("kernel over the limit", Expected.Error("LIMITS", "File '{image}:/images/xen/vmlinuz' exceeds limit of 1000 bytes"), host =>
        {
            var image = Master(host, Tree(host, "head -c 5000 /dev/urandom > images/xen/vmlinuz"));
            host.Scenario.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "1000";
            Install(host, image);
        }),
    ];
}

using Eliloader.Faults.Harness;
using Eliloader.Faults.Inputs;

namespace Eliloader.Faults;

/// <summary>
/// RHEL 4 style ext2 ramdisks (a gzipped file system image) that a guest-installer map
/// names: bombs, and images damaged with debugfs or byte by byte.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class Ext2Faults(FaultSuite suite) : FaultCategory(suite)
{
    internal const string Unpatchable = "The ramdisk {repo}initrd cannot be patched: ";
    private const string TooBig = "File '{repo}initrd' exceeds limit of 4194304 bytes";

    /// <summary>A 1 MiB image of a small installer tree, changed by debugfs commands and then by <paramref name="patch"/>, gzipped.</summary>
    internal static Action<string> Image(string[] debugfs, Action<byte[]>? patch = null) => path =>
    {
        var work = path + ".work";
        Shell.Run($"""
            mkdir -p {work}/tree/sbin {work}/tree/etc
            printf '#!/bin/sh\necho rhel4\n' > {work}/tree/init
            head -c 20000 /dev/urandom > {work}/tree/sbin/loader
            echo 4.8 > {work}/tree/etc/release
            mke2fs -q -F -t ext2 -b 1024 -I 128 -N 64 -O ^resize_inode,^dir_index -d {work}/tree {work}/img 1024 2>/dev/null
            """);
        foreach (var command in debugfs)
            Shell.Run($"debugfs -w -R '{command}' {work}/img 2>/dev/null");
        var image = File.ReadAllBytes($"{work}/img");
        patch?.Invoke(image);
        File.WriteAllBytes(path, Tools.Gzip(image));
        Shell.Run($"rm -rf {work}");
    };

    internal static FaultCase Damaged(string name, Expected expected, string[] debugfs, Action<byte[]>? patch = null) =>
        new(name, expected, host =>
        {
            RamdiskFaults.Serve(host, Image(debugfs, patch), kind: "ext2");
            host.Boot();
        });

    /// <summary>Sets a little-endian 32-bit field of the superblock (which starts at byte 1024).</summary>
    internal static Action<byte[]> Superblock(int offset, uint value) =>
        image => BitConverter.TryWriteBytes(image.AsSpan(1024 + offset, 4), value);

    /// <summary>Sets the inode number of the directory entry with this name.</summary>
    internal static Action<byte[]> EntryInode(string entry, uint inode) => image =>
    {
        var at = image.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(entry));
        BitConverter.TryWriteBytes(image.AsSpan(at - 8, 4), inode);
    };

    private static readonly FaultCase[] Cases =
    [
        new("gzip of 64 MiB of zeros as an image", Expected.Error("LIMITS", TooBig).WithinCpu(3), host =>
        {
            RamdiskFaults.Serve(host, Tools.Script("head -c 64M /dev/zero | gzip -1 > \"$OUT\""), kind: "ext2");
            host.Boot();
        }),
        new("not a file system", Expected.Error("INVALID_SOURCE", Unpatchable), host =>
        {
            RamdiskFaults.Serve(host, Tools.Script("head -c 100000 /dev/urandom | gzip > \"$OUT\""), kind: "ext2");
            host.Boot();
        }),
        Damaged("bad superblock magic", Expected.Error("INVALID_SOURCE", Unpatchable), [], image => image[1024 + 56] = 0x00),
        Damaged("block count of 4 billion", Expected.Error("INVALID_SOURCE", Unpatchable), [], Superblock(4, 0xFFFFFFFF)),
        Damaged("block size of 1 GiB", Expected.Error("INVALID_SOURCE", Unpatchable), [], Superblock(24, 20)),
        Damaged("no inodes", Expected.Error("INVALID_SOURCE", Unpatchable), [], Superblock(0, 0)),
        Damaged("zero inodes per group", Expected.Error("INVALID_SOURCE", Unpatchable), [], Superblock(40, 0)),
        Damaged("zero blocks per group", Expected.Error("INVALID_SOURCE", Unpatchable), [], Superblock(32, 0)),
        Damaged("directory linked into itself", Expected.Error("INVALID_SOURCE", Unpatchable), ["link / /sbin/loop"]),
        Damaged("data block past the image", Expected.Error("INVALID_SOURCE", Unpatchable), ["sif /sbin/loader block[0] 900000"]),
        Damaged("indirect block past the image", Expected.Error("INVALID_SOURCE", Unpatchable), ["sif /sbin/loader block[IND] 900000"]),
        Damaged("file of 1 TiB", Expected.Error("INVALID_SOURCE", Unpatchable + "…/sbin/loader"), ["sif /sbin/loader size 0x10000000000"]),
        Damaged("directory entry naming inode 99999", Expected.Error("INVALID_SOURCE", Unpatchable + "…names inode 99999"), [], EntryInode("release", 99999)),
        Damaged("directory block past the image", Expected.Error("INVALID_SOURCE", Unpatchable), ["sif /etc block[0] 900000"]),
        new("image cut in half", Expected.Error("INVALID_SOURCE", Unpatchable), host =>
        {
            RamdiskFaults.Serve(host, path =>
            {
                Image([])(path);
                File.WriteAllBytes(path, Tools.Gzip(Tools.Pipe(File.ReadAllBytes(path), "gzip -dc")[..(512 << 10)]));
            }, kind: "ext2");
            host.Boot();
        }),
    ];
}

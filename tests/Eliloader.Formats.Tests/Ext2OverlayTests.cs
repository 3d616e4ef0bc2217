using System.IO.Compression;
using Eliloader.Formats.Cpio;
using Eliloader.Formats.Ext2;
using static Eliloader.Formats.Tests.Ext2Trees;

namespace Eliloader.Formats.Tests;

/// <summary>
/// A cpio overlay laid over a vendor ext2 ramdisk the builder wrote: what each member
/// becomes in the rebuilt image, the directories made on the way, what a directory
/// member leaves alone, and the bound on the overlay's unpacked bytes.
/// </summary>
public sealed class Ext2OverlayTests
{
    private const uint Later = Now + 3600;

    private static byte[] Vendor() => Build(Directory(
        ("lost+found", Directory()),
        ("etc", Directory(("release", File("vendor\n"u8.ToArray())))),
        ("keep", Directory(("x", File([7])))),
        ("init", File("#!/bin/sh\n"u8.ToArray(), 0x81ED))));

    private static byte[] Archive(params (CpioEntry Entry, byte[] Data)[] members)
    {
        var output = new MemoryStream();
        var writer = new CpioWriter(output);
        foreach (var (entry, data) in members)
            writer.WriteEntry(entry with { DataLength = data.Length }, new MemoryStream(data));
        writer.Finish();
        return output.ToArray();
    }

    private static Ext2Node Rewrite(byte[] vendor, byte[] overlay)
    {
        var output = new MemoryStream();
        Ext2Overlay.Rewrite(new MemoryStream(vendor), () => new MemoryStream(overlay), output, new CpioLimits(), Later);
        return Ext2Reader.Open(new MemoryStream(output.ToArray())).ReadTree();
    }

    [Fact]
    public void Members_replace_and_join_the_vendor_tree_with_their_metadata()
    {
        var root = Rewrite(Vendor(), Archive(
            (new CpioEntry { Name = ".", Mode = UnixFileType.Directory | 0b111_000_000 }, []),
            (new CpioEntry { Name = "./etc/release", Mode = UnixFileType.RegularFile | 0b110_000_000, Uid = 5, Gid = 6, ModificationTime = 1234 }, "overlay\n"u8.ToArray()),
            (new CpioEntry { Name = "usr/lib/xen/cd-helper", Mode = UnixFileType.RegularFile | 0b111_101_101 }, "helper\n"u8.ToArray()),
            (new CpioEntry { Name = "keep", Mode = UnixFileType.Directory | 0b111_000_000, ModificationTime = 99 }, []),
            (new CpioEntry { Name = "init/sub", Mode = UnixFileType.RegularFile | 0b110_100_100 }, [1, 2]),
            (new CpioEntry { Name = "dev/null", Mode = UnixFileType.CharacterDevice | 0b110_110_110, RdevMajor = 1, RdevMinor = 3 }, []),
            (new CpioEntry { Name = "empty", Mode = UnixFileType.RegularFile | 0b110_100_100 }, [])));

        // "." changes nothing: the root keeps the vendor's mode and time.
        Assert.Equal((0x41EDu, 1_600_000_000u), (root.Mode, root.ModificationTime));
        var release = root.Children["etc"].Children["release"];
        Assert.Equal("overlay\n"u8.ToArray(), Content(release));
        Assert.Equal((0x8180u, 5u, 6u, 1234u, 1234u, 1234u), (release.Mode, release.Uid, release.Gid, release.AccessTime, release.ChangeTime, release.ModificationTime));

        // Directories missing on the way are made rwxr-xr-x at the time of the rewrite.
        var usr = root.Children["usr"];
        var lib = usr.Children["lib"];
        Assert.Equal((0x41EDu, Later), (usr.Mode, usr.ModificationTime));
        Assert.Equal((0x41EDu, Later), (lib.Children["xen"].Mode, lib.Children["xen"].ModificationTime));
        Assert.Equal("helper\n"u8.ToArray(), Content(lib.Children["xen"].Children["cd-helper"]));

        // A directory member over a vendor directory leaves it, its metadata and its contents, alone.
        var keep = root.Children["keep"];
        Assert.Equal((0x41EDu, 1_600_000_000u), (keep.Mode, keep.ModificationTime));
        Assert.Equal([7], Content(keep.Children["x"]));

        // A member under a vendor file replaces the file with a directory.
        Assert.True(root.Children["init"].IsDirectory);
        Assert.Equal([1, 2], Content(root.Children["init"].Children["sub"]));

        var device = root.Children["dev"].Children["null"];
        Assert.Equal((0x21B6u, 1u, 3u), (device.Mode, device.RdevMajor, device.RdevMinor));
        Assert.Equal(0, root.Children["empty"].Size);
        Assert.Equal(["dev", "empty", "etc", "init", "keep", "lost+found", "usr"], root.Children.Keys);
    }

    [Fact]
    public void A_directory_member_over_a_vendor_file_replaces_it()
    {
        var root = Rewrite(Vendor(), Archive((new CpioEntry { Name = "init", Mode = UnixFileType.Directory | 0b111_000_000, ModificationTime = 42 }, [])));
        Assert.Equal((0x41C0u, 42u), (root.Children["init"].Mode, root.Children["init"].ModificationTime));
        Assert.Empty(root.Children["init"].Children);
    }

    /// <summary>A gzip overlay whose archive and NUL padding unpack to exactly <paramref name="unpacked"/> bytes.</summary>
    private static byte[] PaddedOverlay(long unpacked)
    {
        var archive = Archive((new CpioEntry { Name = "etc/release", Mode = UnixFileType.RegularFile | 0b110_100_100 }, "overlay\n"u8.ToArray()));
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(archive);
            var zeros = new byte[1 << 20];
            for (var left = unpacked - archive.Length; left > 0; left -= zeros.Length)
                gzip.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
        }
        return output.ToArray();
    }

    [Fact]
    public void An_overlay_may_unpack_to_64_MiB_and_not_one_byte_more()
    {
        Assert.Equal("overlay\n"u8.ToArray(), Content(Rewrite(Vendor(), PaddedOverlay(64 << 20)).Children["etc"].Children["release"]));
        Assert.Equal("input is larger than 67108864 bytes",
            Assert.Throws<LimitExceededException>(() => Rewrite(Vendor(), PaddedOverlay((64 << 20) + 1))).Message);
    }
}

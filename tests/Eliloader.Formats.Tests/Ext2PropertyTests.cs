using System.Buffers.Binary;
using CsCheck;
using Eliloader.Formats.Cpio;
using Eliloader.Formats.Ext2;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Damaged ext2 images, as a hostile guest's ramdisk may be: rebuilding one with an
/// overlay either works or fails with InvalidDataException or LimitExceededException
/// (INVALID_SOURCE or LIMITS in the app), never with another exception.
/// </summary>
public sealed class Ext2PropertyTests
{
    /// <summary>Where mke2fs puts the metadata of this small image: superblock, descriptors, bitmaps, inode table, directories.</summary>
    private const int MetadataBytes = 40 * 1024;

    private static readonly uint[] Interesting = [0, 1, 2, 3, 11, 12, 0x7F, 0x80, 0xFF, 0x100, 0x1FF, 0x200, 0x201, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFF];

    private static readonly Lazy<byte[]> Vendor = new(() =>
    {
        var work = Path.Combine(Path.GetTempPath(), "ext2-property-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Shell.Run($"""
                mkdir -p {work}/tree/sbin {work}/tree/etc/deep/er {work}/tree/dev
                printf '#!/bin/sh\necho vendor\n' > {work}/tree/init
                head -c 20000 /dev/urandom > {work}/tree/sbin/loader
                ln {work}/tree/sbin/loader {work}/tree/sbin/init
                ln -s loader {work}/tree/sbin/fast-link
                ln -s /$(printf 'x%.0s' $(seq 70)) {work}/tree/sbin/slow-link
                echo vendor > {work}/tree/etc/deep/er/release
                mknod {work}/tree/dev/console c 5 1
                mke2fs -q -F -t ext2 -b 1024 -I 128 -N 64 -O ^resize_inode,^dir_index -d {work}/tree {work}/image 512
                """);
            return File.ReadAllBytes(Path.Combine(work, "image"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    });

    private static readonly byte[] Overlay = OverlayArchive();

    private static byte[] OverlayArchive()
    {
        var output = new MemoryStream();
        var writer = new CpioWriter(output);
        writer.WriteEntry(new CpioEntry { Name = "etc/release", Mode = UnixFileType.RegularFile | 0b110_100_100, DataLength = 8 }, new MemoryStream("overlay\n"u8.ToArray()));
        writer.WriteEntry(new CpioEntry { Name = "usr/lib/xen", Mode = UnixFileType.Directory | 0b111_101_101 }, null);
        writer.Finish();
        return output.ToArray();
    }

    private static byte[] Rewrite(byte[] image)
    {
        var output = new MemoryStream();
        Ext2Overlay.Rewrite(new MemoryStream(image), () => new MemoryStream(Overlay), output, new CpioLimits(), 1_700_000_000);
        return output.ToArray();
    }

    /// <summary>One damage: a byte (Width 1) or a little-endian 32-bit field (Width 4) set at an offset.</summary>
    private readonly record struct Damage(int Offset, uint Value, int Width)
    {
        public void Apply(byte[] image)
        {
            if (Width == 4)
                BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(Offset), Value);
            else
                image[Offset] = (byte)Value;
        }
    }

    /// <summary>Bytes of the metadata, fields set to values parsers trip on, and now and then a byte anywhere.</summary>
    private static readonly Gen<Damage> Damages = Gen.OneOf(
        Gen.Select(Gen.Int[0, MetadataBytes - 1], Gen.Byte, (offset, value) => new Damage(offset, value, 1)),
        Gen.Select(Gen.Int[0, MetadataBytes / 4 - 1], Gen.Int[0, Interesting.Length - 1], (field, value) => new Damage(field * 4, Interesting[value], 4)),
        Gen.Select(Gen.Int[0, 512 * 1024 - 1], Gen.Byte, (offset, value) => new Damage(offset, value, 1)));

    [Fact]
    public void The_undamaged_image_is_rebuilt_with_the_overlay()
    {
        var rebuilt = Ext2Reader.Open(new MemoryStream(Rewrite(Vendor.Value))).ReadTree();
        using var release = new StreamReader(rebuilt.Children["etc"].Children["release"].Data!());
        Assert.Equal("overlay\n", release.ReadToEnd());
        Assert.Same(rebuilt.Children["sbin"].Children["loader"], rebuilt.Children["sbin"].Children["init"]);
        Assert.True(rebuilt.Children["usr"].Children["lib"].Children["xen"].IsDirectory);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Damaged_images_fail_only_with_invalid_data_or_a_limit()
    {
        Gen.Select(Damages.Array[1, 3], Gen.Int[0, 8]).Sample((damages, cut) =>
        {
            var image = Vendor.Value.ToArray();
            foreach (var damage in damages)
                damage.Apply(image);
            // Now and then the image is also cut short, by up to a few blocks.
            if (cut > 6)
                image = image[..(image.Length - cut * 1000)];
            try
            {
                Rewrite(image);
            }
            catch (Exception e) when (e is InvalidDataException or LimitExceededException)
            {
                // The two ways a damaged image may end.
            }
        }, iter: 3000);
    }
}

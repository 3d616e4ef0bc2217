using System.Buffers.Binary;
using CsCheck;
using Eliloader.Formats.Iso9660;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Damaged ISO images, as a guest's CD may be: opening one, looking paths up and reading
/// the files found either works or fails with InvalidDataException (INVALID_SOURCE in
/// the app), never with another exception.
/// </summary>
public sealed class IsoPropertyTests
{
    private static readonly string[] Paths = ["install.amd/xen/vmlinuz", "install.amd/xen/initrd.gz", "boot/vmlinuz", "isolinux/vmlinuz", "long", "loop/x"];

    private static readonly uint[] Interesting = [0, 1, 2, 17, 18, 34, 0x7F, 0x80, 0xFF, 0x800, 0x801, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF];

    private static readonly byte[] Medium = new CraftedIso()
        .File("install.amd/xen/vmlinuz", "kernel")
        .File("install.amd/xen/initrd.gz", new byte[5000], extents: 3)
        .File("isolinux/vmlinuz", "isolinux kernel")
        .Symlink("boot", "install.amd/xen")
        .Symlink("loop", "loop")
        .Symlink("long", string.Concat(Enumerable.Repeat("./", 1200)) + "isolinux/vmlinuz")
        .Build();

    private static void LookUpAndRead(byte[] image)
    {
        var iso = IsoImage.Open(new MemoryStream(image));
        foreach (var path in Paths)
        {
            if (iso.Find(path) is { } file)
                iso.OpenRead(file).CopyTo(Stream.Null);
        }
    }

    [Fact]
    public void The_undamaged_medium_reads()
    {
        var iso = IsoImage.Open(new MemoryStream(Medium));
        Assert.Equal(5000, iso.Find("boot/initrd.gz")!.Length);
        Assert.Equal(15, iso.Find("long")!.Length);
        Assert.Throws<InvalidDataException>(() => iso.Find("loop/x"));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Damaged_media_fail_only_with_invalid_data()
    {
        // From the primary volume descriptor (sector 16) on: descriptors, directories, continuation areas, file data.
        var damage = Gen.OneOf(
            Gen.Select(Gen.Int[16 * 2048, Medium.Length - 1], Gen.Byte, (offset, value) => (Offset: offset, Value: (uint)value, Width: 1)),
            Gen.Select(Gen.Int[16 * 2048 / 2, Medium.Length / 2 - 2], Gen.Int[0, Interesting.Length - 1], (half, value) => (Offset: half * 2, Value: Interesting[value], Width: 4)));
        Gen.Select(damage.Array[1, 4], Gen.Int[0, 9]).Sample((damages, cut) =>
        {
            var image = Medium.ToArray();
            foreach (var (offset, value, width) in damages)
            {
                if (width == 4)
                    BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(offset), value);
                else
                    image[offset] = (byte)value;
            }
            if (cut == 9)
                image = image[..(image.Length - 3000)];
            try
            {
                LookUpAndRead(image);
            }
            catch (InvalidDataException)
            {
                // The one way a damaged medium may end.
            }
        }, iter: 5000);
    }
}

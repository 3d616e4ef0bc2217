using System.Text;
using Eliloader.Formats.Ext2;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Trees made in memory and the images Ext2Builder writes from them, read back with
/// Ext2Reader: the material of the round-trip and boundary tests.
/// </summary>
internal static class Ext2Trees
{
    public const uint Now = 1_700_000_000;

    /// <summary>One group of 1 KiB blocks, as mke2fs makes a small RHEL 4 ramdisk.</summary>
    public static Ext2Superblock Geometry(uint blocks = 1024, uint inodes = 64, uint blocksPerGroup = 8192) => new(
        InodesCount: inodes, BlocksCount: blocks, FirstDataBlock: 1, BlockSize: 1024, BlocksPerGroup: blocksPerGroup,
        InodesPerGroup: inodes, InodeSize: 128, FirstInode: 11, Uuid: [.. Enumerable.Range(1, 16).Select(i => (byte)i)], VolumeName: new byte[16]);

    public static Ext2Node Directory(params (string Name, Ext2Node Node)[] children)
    {
        var directory = new Ext2Node { Mode = 0x41ED, Uid = 0, ModificationTime = 1_600_000_000 };
        foreach (var (name, node) in children)
            directory.Children[name] = node;
        return directory;
    }

    public static Ext2Node File(byte[] data, uint mode = 0x81A4) =>
        new() { Mode = mode, Size = data.Length, Data = () => new MemoryStream(data), Uid = 70_000, Gid = 80_001, AccessTime = 1, ChangeTime = 2, ModificationTime = 3 };

    public static Ext2Node Symlink(string target) =>
        new() { Mode = 0xA1FF, Size = target.Length, Data = () => new MemoryStream(Encoding.ASCII.GetBytes(target)) };

    public static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static byte[] Build(Ext2Node root, Ext2Superblock? geometry = null)
    {
        var output = new MemoryStream();
        Ext2Builder.Write(output, root, geometry ?? Geometry(), Now);
        return output.ToArray();
    }

    public static Ext2Node Read(byte[] image) => Ext2Reader.Open(new MemoryStream(image)).ReadTree();

    public static byte[] Content(Ext2Node node)
    {
        var data = new MemoryStream();
        using (var stream = node.Data!())
            stream.CopyTo(data);
        return data.ToArray();
    }

    /// <summary>Inode n of a one-group image of 64 inodes the builder wrote: the table starts at block 5.</summary>
    public static Span<byte> Inode(byte[] image, uint number) => image.AsSpan(5 * 1024 + (int)(number - 1) * 128, 128);
}

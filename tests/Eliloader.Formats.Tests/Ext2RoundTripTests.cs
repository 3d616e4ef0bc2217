using System.Buffers.Binary;
using System.Text;
using Eliloader.Formats.Ext2;
using static Eliloader.Formats.Tests.Ext2Trees;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Images the builder writes from trees made in memory, read back by the reader and
/// checked by e2fsck: every field the two share, the bounds the reader keeps on a
/// hostile image, and the geometries the builder refuses.
/// </summary>
public sealed class Ext2RoundTripTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "ext2-roundtrip-" + Guid.NewGuid().ToString("N")[..8]);

    public Ext2RoundTripTests() => System.IO.Directory.CreateDirectory(work);

    private string Fsck(byte[] image)
    {
        var path = Path.Combine(work, "image");
        System.IO.File.WriteAllBytes(path, image);
        return Shell.Run($"e2fsck -fn {path} >/dev/null 2>&1 && echo CLEAN || e2fsck -fn {path} 2>&1 || true");
    }

    [Fact]
    public void Every_kind_of_file_comes_back_as_it_went_in_and_e2fsck_passes()
    {
        var small = Random(5000, 1);
        var indirect = Random(200 * 1024, 2);
        var doubly = Random(400 * 1024, 3);
        var linked = File(Random(100, 4));
        var root = Directory(
            ("lost+found", Directory()),
            ("init", File(small, 0x81ED)),
            ("empty", File([])),
            ("bin", Directory(("indirect", File(indirect)), ("doubly", File(doubly)), ("one", linked), ("two", linked))),
            ("dev", Directory(
                ("console", new Ext2Node { Mode = 0x2180, RdevMajor = 5, RdevMinor = 1 }),
                ("big", new Ext2Node { Mode = 0x6180, RdevMajor = 259, RdevMinor = 300 }),
                ("fifo", new Ext2Node { Mode = 0x1180 }))),
            ("fast", Symlink("bin/one")),
            ("slow", Symlink("/" + new string('x', 70))));
        var image = Build(root);
        Assert.Equal(1024 * 1024, image.Length);
        Assert.Equal("CLEAN\n", Fsck(image));

        var back = Read(image);
        Assert.Equal(["bin", "dev", "empty", "fast", "init", "lost+found", "slow"], back.Children.Keys);
        Assert.Equal(0x41EDu, back.Mode);
        var init = back.Children["init"];
        Assert.Equal((0x81EDu, 70_000u, 80_001u, 1u, 2u, 3u, 5000L), (init.Mode, init.Uid, init.Gid, init.AccessTime, init.ChangeTime, init.ModificationTime, init.Size));
        Assert.Equal(small, Content(init));
        Assert.Empty(Content(back.Children["empty"]));
        Assert.Equal(indirect, Content(back.Children["bin"].Children["indirect"]));
        Assert.Equal(doubly, Content(back.Children["bin"].Children["doubly"]));
        Assert.Same(back.Children["bin"].Children["one"], back.Children["bin"].Children["two"]);
        Assert.Equal("bin/one", Encoding.ASCII.GetString(Content(back.Children["fast"])));
        Assert.Equal("/" + new string('x', 70), Encoding.ASCII.GetString(Content(back.Children["slow"])));
        var dev = back.Children["dev"].Children;
        Assert.Equal((0x2180u, 5u, 1u), (dev["console"].Mode, dev["console"].RdevMajor, dev["console"].RdevMinor));
        Assert.Equal((0x6180u, 259u, 300u), (dev["big"].Mode, dev["big"].RdevMajor, dev["big"].RdevMinor));
        Assert.Equal(0x1180u, dev["fifo"].Mode);
        Assert.Null(dev["fifo"].Data);
        Assert.Equal(0, dev["console"].Size);
    }

    [Fact]
    public void The_superblock_and_group_descriptor_count_what_is_used()
    {
        var image = Build(Directory(("lost+found", Directory()), ("a", File(Random(3000, 5))), ("d", Directory(("b", File([]))))));
        var superblock = image.AsSpan(1024, 1024);
        Assert.Equal(64u, BinaryPrimitives.ReadUInt32LittleEndian(superblock));
        Assert.Equal(1024u, BinaryPrimitives.ReadUInt32LittleEndian(superblock[4..]));
        Assert.Equal(Ext2Superblock.Magic, BinaryPrimitives.ReadUInt16LittleEndian(superblock[56..]));
        Assert.Equal(Now, BinaryPrimitives.ReadUInt32LittleEndian(superblock[48..]));
        Assert.Equal(0x2u, BinaryPrimitives.ReadUInt32LittleEndian(superblock[96..]));
        Assert.Equal(0x1u, BinaryPrimitives.ReadUInt32LittleEndian(superblock[100..]));
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (byte)i), superblock[104..120].ToArray());
        // Metadata (superblock, descriptors, two bitmaps, 8 inode table blocks), 3 directory blocks, 3 data blocks.
        var freeBlocks = 1023 - (1 + 1 + 2 + 8) - 3 - 3;
        Assert.Equal((uint)freeBlocks, BinaryPrimitives.ReadUInt32LittleEndian(superblock[12..]));
        Assert.Equal(64u - 10 - 4, BinaryPrimitives.ReadUInt32LittleEndian(superblock[16..]));
        var descriptor = image.AsSpan(2048, 32);
        Assert.Equal((3u, 4u, 5u), (BinaryPrimitives.ReadUInt32LittleEndian(descriptor), BinaryPrimitives.ReadUInt32LittleEndian(descriptor[4..]), BinaryPrimitives.ReadUInt32LittleEndian(descriptor[8..])));
        Assert.Equal(((ushort)freeBlocks, (ushort)50, (ushort)3),
            (BinaryPrimitives.ReadUInt16LittleEndian(descriptor[12..]), BinaryPrimitives.ReadUInt16LittleEndian(descriptor[14..]), BinaryPrimitives.ReadUInt16LittleEndian(descriptor[16..])));
        Assert.Equal("CLEAN\n", Fsck(image));
    }

    [Fact]
    public void Several_groups_keep_superblock_copies_where_sparse_super_puts_them()
    {
        var files = Enumerable.Range(0, 40).Select(i => ($"f{i}", File(Random(20_000, i)))).ToArray();
        var image = Build(Directory([("lost+found", Directory()), .. files]), Geometry(blocks: 2048, inodes: 64 * 8, blocksPerGroup: 256) with { InodesPerGroup = 64 });
        Assert.Equal("CLEAN\n", Fsck(image));
        var back = Read(image);
        Assert.Equal(Random(20_000, 39), Content(back.Children["f39"]));
        foreach (var group in new[] { 1, 3, 5, 7 })
            Assert.Equal(Ext2Superblock.Magic, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((1 + group * 256) * 1024 + 56)));
        foreach (var group in new[] { 2, 4, 6 })
            Assert.NotEqual(Ext2Superblock.Magic, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((1 + group * 256) * 1024 + 56)));
    }

    [Fact]
    public void A_tree_larger_than_the_image_or_its_inodes_is_refused()
    {
        Assert.Equal("the tree does not fit in the image's 128 blocks",
            Assert.Throws<InvalidDataException>(() => Build(Directory(("big", File(new byte[120 * 1024]))), Geometry(blocks: 128))).Message);
        // Inodes 11 to 64 are free for the root's children.
        var many = Enumerable.Range(0, 55).Select(i => ($"f{i}", File([]))).ToArray();
        Assert.Equal(54, Read(Build(Directory(many[..^1]))).Children.Count);
        Assert.Equal("the tree has more files than the image's 64 inodes",
            Assert.Throws<InvalidDataException>(() => Build(Directory(many))).Message);
    }

    [Theory]
    [InlineData(4096u, 0u, 64u, 8192u, "the ext2 image to rebuild has 4096-byte blocks; only 1 KiB blocks are rebuilt")]
    [InlineData(1024u, 0u, 64u, 8192u, "the ext2 image to rebuild has a geometry mke2fs would not make")]
    [InlineData(1024u, 1u, 60u, 8192u, "the ext2 image to rebuild has a geometry mke2fs would not make")]
    [InlineData(1024u, 1u, 8200u, 8192u, "the ext2 image to rebuild has a geometry mke2fs would not make")]
    [InlineData(1024u, 1u, 64u, 8193u, "the ext2 image to rebuild has a geometry mke2fs would not make")]
    [InlineData(1024u, 1u, 64u, 8u, "the ext2 image to rebuild has group 0 too small for its bitmaps and inode table")]
    [InlineData(1024u, 1u, 64u, 1020u, "the ext2 image to rebuild has group 1 too small for its bitmaps and inode table")]
    public void Geometries_mke2fs_would_not_make_are_refused(uint blockSize, uint firstDataBlock, uint inodesPerGroup, uint blocksPerGroup, string message)
    {
        var geometry = Geometry() with { BlockSize = (int)blockSize, FirstDataBlock = firstDataBlock, InodesPerGroup = inodesPerGroup, BlocksPerGroup = blocksPerGroup };
        geometry = geometry with { InodesCount = inodesPerGroup * geometry.GroupCount };
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => Build(Directory(), geometry)).Message);
    }

    [Fact]
    public void Inodes_other_than_a_whole_number_of_groups_are_refused() =>
        Assert.Equal("the ext2 image to rebuild has 63 inodes, not 64 in each of 1 groups as mke2fs makes them",
            Assert.Throws<InvalidDataException>(() => Build(Directory(), Geometry() with { InodesCount = 63 })).Message);

    [Fact]
    public void The_reader_takes_20000_names_and_refuses_one_more()
    {
        static Ext2Node Linked(int names)
        {
            var file = File([]);
            return Directory([.. Enumerable.Range(0, names - 1).Select(i => ($"n{i}", file))]);
        }
        // Names: d, and in it names - 1 links to one file.
        var accepted = Read(Build(Directory(("d", Linked(20_000))), Geometry(blocks: 1024)));
        Assert.Equal(19_999, accepted.Children["d"].Children.Count);
        Assert.Equal("ext2 image holds more than 20000 names",
            Assert.Throws<InvalidDataException>(() => Read(Build(Directory(("d", Linked(20_001))), Geometry(blocks: 1024)))).Message);
    }

    [Fact]
    public void The_reader_takes_directories_128_deep_and_refuses_129()
    {
        static Ext2Node Nested(int depth)
        {
            var node = Directory();
            for (var i = 1; i < depth; i++)
                node = Directory(("d", node));
            return node;
        }
        var deepest = Read(Build(Directory(("d", Nested(128))), Geometry(inodes: 256)));
        for (var i = 0; i < 128; i++)
            deepest = deepest.Children["d"];
        Assert.Empty(deepest.Children);
        Assert.Equal($"ext2 directory {string.Concat(Enumerable.Repeat("/d", 129))} lies more than 128 directories deep",
            Assert.Throws<InvalidDataException>(() => Read(Build(Directory(("d", Nested(129))), Geometry(inodes: 256)))).Message);
    }

    [Fact]
    public void A_file_larger_than_the_image_is_refused()
    {
        var image = Build(Directory(("a", File(Random(2000, 6)))));
        BinaryPrimitives.WriteUInt32LittleEndian(Inode(image, 11)[4..], 1024 * 1024 + 1);
        Assert.Equal("ext2 file /a is 1048577 bytes, more than the image holds", Assert.Throws<InvalidDataException>(() => Read(image)).Message);
        BinaryPrimitives.WriteUInt32LittleEndian(Inode(image, 11)[4..], 1024 * 1024);
        Assert.Equal("ext2 file /a has a hole in its block map", Assert.Throws<InvalidDataException>(() => Read(image)).Message);
    }

    [Fact]
    public void Files_mapping_more_blocks_than_the_image_has_are_refused()
    {
        // One file of 400 blocks (and 3 map blocks) fits 1024 blocks; b and c given its map, the three would need 1209.
        var image = Build(Directory(("a", File(Random(400 * 1024, 7))), ("b", File([])), ("c", File([]))));
        foreach (var copy in new uint[] { 12, 13 })
            Inode(image, 11).CopyTo(Inode(image, copy));
        var error = Assert.Throws<InvalidDataException>(() => Read(image));
        Assert.Equal("ext2 files map more blocks than the image's 1024 (at /c)", error.Message);
    }

    public void Dispose() => System.IO.Directory.Delete(work, recursive: true);
}

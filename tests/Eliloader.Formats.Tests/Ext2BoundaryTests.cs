using System.Buffers.Binary;
using System.Text;
using Eliloader.Formats.Ext2;
using static Eliloader.Formats.Tests.Ext2Trees;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Every bound the ext2 reader keeps on a guest's image, exactly at its limit and one
/// past it, with the error that names what is wrong; and the bytes the builder writes,
/// field by field. Images come from Ext2Builder (no mke2fs), so these run in milliseconds.
/// </summary>
public sealed class Ext2BoundaryTests
{
    /// <summary>The superblock of a built one-group image (1024 blocks, 64 inodes) with fields set as given.</summary>
    private static byte[] Superblock(params (int Offset, uint Value, int Width)[] fields)
    {
        var block = Build(Directory()).AsSpan(1024, 1024).ToArray();
        foreach (var (offset, value, width) in fields)
        {
            if (width == 2)
                BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(offset), (ushort)value);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(offset), value);
        }
        return block;
    }

    private const int InodesCount = 0, BlocksCount = 4, FirstDataBlock = 20, LogBlockSize = 24, BlocksPerGroup = 32, InodesPerGroup = 40;
    private const int Revision = 76, FirstInode = 84, InodeSize = 88, Incompatible = 96;

    private static Ext2Superblock Parse(long imageLength, params (int Offset, uint Value, int Width)[] fields) =>
        Ext2Superblock.Parse(Superblock(fields), imageLength);

    private static string ParseRefusal(long imageLength, params (int Offset, uint Value, int Width)[] fields) =>
        Assert.Throws<InvalidDataException>(() => Parse(imageLength, fields)).Message;

    private static string Refusal(byte[] image) => Assert.Throws<InvalidDataException>(() => Read(image)).Message;

    private static void Set32(byte[] image, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(offset), value);

    /// <summary>Where inode n of a one-group image of 64 inodes lies: the table starts at block 5.</summary>
    private static int InodeAt(uint number) => 5 * 1024 + (int)(number - 1) * 128;

    private static void Set16(byte[] image, int offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(offset), value);

    [Fact]
    public void The_superblock_fields_are_read_from_their_offsets()
    {
        var block = Superblock((InodesCount, 48, 4), (BlocksCount, 1000, 4), (BlocksPerGroup, 300, 4), (InodesPerGroup, 16, 4), (InodeSize, 256, 2), (FirstInode, 12, 4));
        Encoding.ASCII.GetBytes("rhel4-install").CopyTo(block, 120);
        var superblock = Ext2Superblock.Parse(block, 1000 * 1024);
        Assert.Equal((48u, 1000u, 1u, 1024, 300u, 16u, 256, 12u), (superblock.InodesCount, superblock.BlocksCount, superblock.FirstDataBlock,
            superblock.BlockSize, superblock.BlocksPerGroup, superblock.InodesPerGroup, superblock.InodeSize, superblock.FirstInode));
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (byte)i), superblock.Uuid);
        Assert.Equal("rhel4-install\0\0\0", Encoding.ASCII.GetString(superblock.VolumeName));
    }

    [Fact]
    public void A_revision_0_superblock_has_128_byte_inodes_and_first_inode_11_whatever_its_later_fields_say()
    {
        var old = Parse(1 << 20, (Revision, 0, 4), (InodeSize, 256, 2), (FirstInode, 20, 4));
        Assert.Equal((128, 11u), (old.InodeSize, old.FirstInode));
        var dynamic = Parse(1 << 20, (Revision, 1, 4), (InodeSize, 256, 2), (FirstInode, 20, 4));
        Assert.Equal((256, 20u), (dynamic.InodeSize, dynamic.FirstInode));
    }

    [Fact]
    public void Block_sizes_up_to_4_KiB_are_read_and_larger_ones_refused()
    {
        Assert.Equal(2048, Parse(4 << 20, (LogBlockSize, 1, 4)).BlockSize);
        Assert.Equal(4096, Parse(4 << 20, (LogBlockSize, 2, 4)).BlockSize);
        Assert.Equal("ext2 block size 1024 << 3 is not supported", ParseRefusal(8 << 20, (LogBlockSize, 3, 4)));
        Assert.Equal("not an ext2 image: no superblock magic", ParseRefusal(1 << 20, (56, 0xEF54, 2)));
    }

    /// <summary>A group's bitmaps are one block each: at most 8 × the block size blocks or inodes, and at least one.</summary>
    [Theory]
    [InlineData(BlocksPerGroup, 1u, 0u, true)]
    [InlineData(BlocksPerGroup, 8192u, 0u, true)]
    [InlineData(BlocksPerGroup, 0u, 0u, false)]
    [InlineData(BlocksPerGroup, 8193u, 0u, false)]
    [InlineData(BlocksPerGroup, 32_768u, 2u, true)]
    [InlineData(BlocksPerGroup, 32_769u, 2u, false)]
    [InlineData(InodesPerGroup, 8192u, 0u, true)]
    [InlineData(InodesPerGroup, 0u, 0u, false)]
    [InlineData(InodesPerGroup, 8193u, 0u, false)]
    [InlineData(InodesPerGroup, 32_768u, 2u, true)]
    [InlineData(InodesPerGroup, 32_769u, 2u, false)]
    [InlineData(InodeSize, 128u, 0u, true)]
    [InlineData(InodeSize, 127u, 0u, false)]
    [InlineData(InodeSize, 1024u, 0u, true)]
    [InlineData(InodeSize, 1025u, 0u, false)]
    [InlineData(InodeSize, 4096u, 2u, true)]
    [InlineData(InodeSize, 4097u, 2u, false)]
    public void Group_and_inode_sizes_are_bounded_by_the_block(int field, uint value, uint logBlockSize, bool accepted)
    {
        (int, uint, int)[] fields = [(field, value, field == InodeSize ? 2 : 4), (LogBlockSize, logBlockSize, 4)];
        if (accepted)
            Assert.Equal(value, field switch { BlocksPerGroup => Parse(16 << 20, fields).BlocksPerGroup, InodesPerGroup => Parse(16 << 20, fields).InodesPerGroup, _ => (uint)Parse(16 << 20, fields).InodeSize });
        else
            Assert.Equal("ext2 superblock has an impossible geometry", ParseRefusal(16 << 20, fields));
    }

    [Fact]
    public void The_image_must_hold_every_block_the_superblock_claims()
    {
        Assert.Equal(1024u, Parse(1024 * 1024).BlocksCount);
        Assert.Equal("ext2 image claims 1024 blocks but holds 1048575 bytes", ParseRefusal(1024 * 1024 - 1));
        Assert.Equal("ext2 image claims 1024 blocks but holds 2097151 bytes", ParseRefusal(2048 * 1024 - 1, (LogBlockSize, 1, 4)));
        // The product is taken in 64 bits: 4 Gi blocks of 4 KiB are not 0 bytes.
        Assert.Equal("ext2 image claims 4294967295 blocks but holds 1048576 bytes", ParseRefusal(1 << 20, (BlocksCount, uint.MaxValue, 4), (LogBlockSize, 2, 4)));
    }

    [Fact]
    public void The_first_data_block_is_0_or_1_and_inside_the_image()
    {
        Assert.Equal(0u, Parse(1 << 20, (FirstDataBlock, 0, 4)).FirstDataBlock);
        Assert.Equal(1u, Parse(1 << 20, (BlocksCount, 2, 4)).FirstDataBlock);
        Assert.Equal("ext2 superblock puts the first data block at 1, not 0 or 1 inside its 1 blocks", ParseRefusal(1 << 20, (BlocksCount, 1, 4)));
    }

    [Fact]
    public void Inodes_may_fill_every_group_and_no_more()
    {
        // 1023 blocks after the first in groups of 256: 4 groups, the last short.
        Assert.Equal(256u, Parse(1 << 20, (BlocksPerGroup, 256, 4), (InodesCount, 256, 4)).InodesCount);
        Assert.Equal("ext2 superblock claims 257 inodes, more than its 4 groups of 64 hold", ParseRefusal(1 << 20, (BlocksPerGroup, 256, 4), (InodesCount, 257, 4)));
    }

    [Theory]
    [InlineData(1u, 1024u, 256u, 4u)]
    [InlineData(1u, 1025u, 256u, 4u)]
    [InlineData(1u, 1026u, 256u, 5u)]
    [InlineData(0u, 1024u, 256u, 4u)]
    [InlineData(0u, 1025u, 256u, 5u)]
    [InlineData(1u, 1024u, 8192u, 1u)]
    public void The_group_count_rounds_the_blocks_after_the_first_up(uint firstDataBlock, uint blocks, uint blocksPerGroup, uint groups) =>
        Assert.Equal(groups, (Geometry() with { FirstDataBlock = firstDataBlock, BlocksCount = blocks, BlocksPerGroup = blocksPerGroup }).GroupCount);

    [Theory]
    [InlineData(0u, null)]
    [InlineData(2u, null)]
    [InlineData(3u, "ext2 image uses incompatible features 3 this reader does not know")]
    [InlineData(0xC0u, "ext2 image uses incompatible features c0 this reader does not know")]
    public void Only_the_filetype_incompatible_feature_is_read(uint features, string? message)
    {
        if (message is null)
            Assert.Equal(64u, Parse(1 << 20, (Incompatible, features, 4)).InodesCount);
        else
            Assert.Equal(message, ParseRefusal(1 << 20, (Incompatible, features, 4)));
    }

    [Fact]
    public void An_image_too_short_for_a_superblock_is_refused_by_its_length()
    {
        Assert.Equal("not an ext2 image: only 2047 bytes", Assert.Throws<InvalidDataException>(() => Ext2Reader.Open(new MemoryStream(new byte[2047]))).Message);
        Assert.Equal("not an ext2 image: no superblock magic", Assert.Throws<InvalidDataException>(() => Ext2Reader.Open(new MemoryStream(new byte[2048]))).Message);
    }

    [Fact]
    public void Group_descriptors_must_lie_inside_the_image()
    {
        var image = Build(Directory());
        // Two blocks: the superblock's and nothing after it for the descriptor.
        Set32(image, 1024 + BlocksCount, 2);
        Assert.Equal("ext2 image's 1 group descriptors lie past the end of the image", Refusal(image));
        // Three blocks hold the descriptor; then the inode table (blocks 5 to 12) does not fit.
        Set32(image, 1024 + BlocksCount, 3);
        Assert.Equal("ext2 group 0 has its inode table past the end of the image", Refusal(image));
    }

    [Theory]
    [InlineData(128, 1016u, true)]
    [InlineData(128, 1017u, false)]
    [InlineData(256, 1008u, true)]
    [InlineData(256, 1009u, false)]
    [InlineData(136, 1015u, true)]
    [InlineData(136, 1016u, false)]
    public void The_inode_table_may_end_at_the_last_block(int inodeSize, uint tableStart, bool accepted)
    {
        // 64 inodes of 128 bytes fill 8 blocks, of 256 bytes 16, of 136 bytes 8.5, that is 9.
        var image = Build(Directory());
        Set16(image, 1024 + InodeSize, (ushort)inodeSize);
        Set32(image, 2048 + 8, tableStart);
        if (accepted)
            Assert.Equal(0u, Read(image).Mode);
        else
            Assert.Equal("ext2 group 0 has its inode table past the end of the image", Refusal(image));
    }

    /// <summary>Eight groups of 256 blocks and 64 inodes, as the several-group round trip has them.</summary>
    private static Ext2Superblock EightGroups => Geometry(blocks: 2048, inodes: 64 * 8, blocksPerGroup: 256) with { InodesPerGroup = 64 };

    [Fact]
    public void Each_group_has_its_own_inode_table_bound()
    {
        var image = Build(Directory(), EightGroups);
        Set32(image, 2048 + 32 + 8, 2040);
        Assert.Equal(0x41EDu, Read(image).Mode);
        Set32(image, 2048 + 32 + 8, 2041);
        Assert.Equal("ext2 group 1 has its inode table past the end of the image", Refusal(image));
    }

    [Fact]
    public void Files_whose_inodes_lie_in_later_groups_are_read_from_their_group_table()
    {
        // Inodes 11 to 140: groups 0, 1 and 2 (64 inodes each).
        var files = Enumerable.Range(0, 130).Select(i => ($"f{i:D3}", File(Random(100 + i, i)))).ToArray();
        var image = Build(Directory(files), EightGroups);
        var back = Read(image);
        Assert.Equal(130, back.Children.Count);
        foreach (var i in new[] { 0, 53, 54, 117, 118, 129 })
            Assert.Equal(Random(100 + i, i), Content(back.Children[$"f{i:D3}"]));
        // Group 2's descriptor: its inode table follows its two bitmaps (no superblock copy in group 2).
        Assert.Equal(1 + 2 * 256 + 2u, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(2048 + 2 * 32 + 8)));
        Assert.Equal(1 + 3 * 256 + 2 + 2u, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(2048 + 3 * 32 + 8)));
    }

    [Fact]
    public void Only_a_regular_file_takes_the_high_word_of_its_size()
    {
        var image = Build(Directory(("a", File(Random(3000, 5))), ("d", Directory()), ("l", Symlink("/" + new string('x', 70)))));
        // a is inode 11, d 12, l 13; byte 108 is the high word of a regular file's size (the directory ACL of others).
        Set32(image, InodeAt(12) + 108, 1);
        Set32(image, InodeAt(13) + 108, 1);
        var back = Read(image);
        Assert.Equal(0, back.Children["d"].Size);
        Assert.Equal(71, back.Children["l"].Size);
        Assert.Equal(71, Content(back.Children["l"]).Length);
        Set32(image, InodeAt(11) + 108, 1);
        Assert.Equal("ext2 file /a is 4294970296 bytes, more than the image holds", Refusal(image));
    }

    [Fact]
    public void A_symlink_of_59_bytes_is_kept_in_its_inode_and_one_of_60_in_a_block()
    {
        var fast = "abcd" + new string('f', 55);
        var slow = "abcd" + new string('s', 56);
        var image = Build(Directory(("fast", Symlink(fast)), ("slow", Symlink(slow))));
        var fastInode = Inode(image, 11);
        Assert.Equal(fast, Encoding.ASCII.GetString(fastInode.Slice(40, 59)));
        Assert.Equal(0, fastInode[99]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(fastInode[28..]));
        var slowInode = Inode(image, 12);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(slowInode[28..]));
        var block = BinaryPrimitives.ReadUInt32LittleEndian(slowInode[40..]);
        Assert.Equal(slow, Encoding.ASCII.GetString(image, (int)block * 1024, 60));
        var back = Read(image);
        Assert.Equal(fast, Encoding.ASCII.GetString(Content(back.Children["fast"])));
        Assert.Equal(slow, Encoding.ASCII.GetString(Content(back.Children["slow"])));
    }

    [Theory]
    [InlineData(28)]
    [InlineData(104)]
    public void A_short_symlink_with_blocks_or_an_extended_attribute_block_is_read_through_its_block_map(int field)
    {
        // As Linux decides: such a link keeps its target in a block, so the inode's "abcd" is a block number.
        var image = Build(Directory(("l", Symlink("abcd"))));
        Set32(image, InodeAt(11) + field, 2);
        Assert.Equal("ext2 file /l points at block 1684234849, past the end of the image", Refusal(image));
    }

    [Theory]
    [InlineData(5u, 1u, 0x0501u, 0u)]
    [InlineData(255u, 255u, 0xFFFFu, 0u)]
    [InlineData(256u, 0u, 0u, 0x1_0000u)]
    [InlineData(0u, 256u, 0u, 0x10_0000u)]
    [InlineData(255u, 256u, 0u, 0x10_FF00u)]
    [InlineData(4095u, 1_048_575u, 0u, 0xFFFF_FFFFu)]
    public void Device_numbers_under_256_take_the_old_encoding_and_larger_ones_the_new(uint major, uint minor, uint oldWord, uint newWord)
    {
        var image = Build(Directory(("c", new Ext2Node { Mode = 0x2180, RdevMajor = major, RdevMinor = minor }), ("b", new Ext2Node { Mode = 0x6180, RdevMajor = major, RdevMinor = minor })));
        foreach (var inode in new uint[] { 11, 12 })
        {
            Assert.Equal(oldWord, BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, inode)[40..]));
            Assert.Equal(newWord, BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, inode)[44..]));
        }
        var back = Read(image);
        foreach (var name in new[] { "b", "c" })
            Assert.Equal((major, minor, 0L), (back.Children[name].RdevMajor, back.Children[name].RdevMinor, back.Children[name].Size));
    }

    [Fact]
    public void Times_left_unset_are_written_as_now_and_directories_and_devices_have_no_size_or_data()
    {
        var image = Build(Directory(("d", Directory()), ("c", new Ext2Node { Mode = 0x2180, RdevMajor = 1, RdevMinor = 3 })));
        var back = Read(image);
        Assert.Equal((Now, Now, 1_600_000_000u), (back.AccessTime, back.ChangeTime, back.ModificationTime));
        Assert.Equal(1024u, BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, 2)[4..]));
        Assert.Equal(0, back.Size);
        Assert.Null(back.Data);
        Assert.Null(back.Children["d"].Data);
        Assert.Null(back.Children["c"].Data);
        var device = Inode(image, 11);
        Assert.Equal((Now, Now, Now), (BinaryPrimitives.ReadUInt32LittleEndian(device[8..]), BinaryPrimitives.ReadUInt32LittleEndian(device[12..]), BinaryPrimitives.ReadUInt32LittleEndian(device[16..])));
    }

    [Fact]
    public void Link_counts_and_sectors_are_what_e2fsck_expects()
    {
        // The root: its entry's "..", its own ".", and one ".." per subdirectory.
        var linked = File(Random(3000, 9));
        var image = Build(Directory(("lost+found", Directory()), ("d", Directory(("e", Directory()))), ("a", linked), ("b", linked),
            ("big", File(Random(300 * 1024, 10))), ("huge", File(Random(270 * 1024, 11)))));
        static (ushort Links, uint Sectors) Counts(Span<byte> inode) => (BinaryPrimitives.ReadUInt16LittleEndian(inode[26..]), BinaryPrimitives.ReadUInt32LittleEndian(inode[28..]));
        Assert.Equal(((ushort)4, 2u), Counts(Inode(image, 2)));
        // lost+found 11, a 12, big 13, d 14, huge 15, e 16 (b is a's second name).
        Assert.Equal(((ushort)2, 2u), Counts(Inode(image, 11)));
        Assert.Equal(((ushort)2, 6u), Counts(Inode(image, 12)));
        // 300 blocks: 12 direct, 256 through the indirect block, 32 through the double indirect block and one map.
        Assert.Equal(((ushort)1, 2 * (300u + 3)), Counts(Inode(image, 13)));
        Assert.Equal(((ushort)3, 2u), Counts(Inode(image, 14)));
        // 270 blocks: two past the indirect block need the double indirect block and a map.
        Assert.Equal(((ushort)1, 2 * (270u + 3)), Counts(Inode(image, 15)));
        Assert.Equal(((ushort)2, 2u), Counts(Inode(image, 16)));
        var back = Read(image);
        Assert.Equal(Random(300 * 1024, 10), Content(back.Children["big"]));
        Assert.Equal(Random(270 * 1024, 11), Content(back.Children["huge"]));
    }

    [Fact]
    public void A_double_indirect_block_is_begun_at_the_269th_block_and_a_map_every_256_blocks_after()
    {
        // c needs a second map under the double indirect block from its 525th block on.
        var image = Build(Directory(("a", File(Random(268 * 1024, 12))), ("b", File(Random(269 * 1024, 13))), ("c", File(Random(525 * 1024, 20)))),
            Geometry(blocks: 2048));
        Assert.Equal(2 * (268u + 1), BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, 11)[28..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, 11)[(40 + 13 * 4)..]));
        Assert.Equal(2 * (269u + 3), BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, 12)[28..]));
        Assert.Equal(2 * (525u + 4), BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, 13)[28..]));
        var back = Read(image);
        Assert.Equal(Random(268 * 1024, 12), Content(back.Children["a"]));
        Assert.Equal(Random(269 * 1024, 13), Content(back.Children["b"]));
        Assert.Equal(Random(525 * 1024, 20), Content(back.Children["c"]));
    }

    [Fact]
    public void A_file_is_read_block_by_block_and_cut_at_its_size()
    {
        var data = Random(3000, 14);
        var image = Build(Directory(("a", File(data))));
        using var stream = Read(image).Children["a"].Data!();
        var (counts, bytes) = Reads.InChunksOf(stream, 700);
        Assert.Equal([700, 324, 700, 324, 700, 252, 0], counts);
        Assert.Equal(data, bytes);
        Assert.Equal(0, stream.Read(new byte[10], 0, 10));
    }

    /// <summary>A one-file image: the root directory is block 13 ("." at 0, ".." at 12, "abcd" at 24), the file's data blocks 14 to 16.</summary>
    private static byte[] OneFile() => Build(Directory(("abcd", File(Random(3000, 15)))));

    private const int RootBlock = 13 * 1024;

    [Fact]
    public void A_block_pointer_may_name_the_last_block_and_not_one_past()
    {
        var image = OneFile();
        Set32(image, InodeAt(11) + 40 + 2 * 4, 1023);
        Assert.Equal([.. Random(3000, 15)[..2048], .. new byte[952]], Content(Read(image).Children["abcd"]));
        Set32(image, InodeAt(11) + 40 + 2 * 4, 1024);
        Assert.Equal("ext2 file /abcd points at block 1024, past the end of the image", Refusal(image));
    }

    [Fact]
    public void Files_may_map_as_many_blocks_as_the_image_has_and_not_one_more()
    {
        // a maps 403 blocks (400 of data, 3 of maps), b and c the same once given its inode, the root directory 1: 1210.
        var image = Build(Directory(("a", File(Random(400 * 1024, 7))), ("b", File([])), ("c", File([]))));
        foreach (var copy in new uint[] { 12, 13 })
            Inode(image, 11).CopyTo(Inode(image, copy));
        Array.Resize(ref image, 1210 * 1024);
        Set32(image, 1024 + BlocksCount, 1210);
        Assert.Equal(3, Read(image).Children.Count);
        Set32(image, 1024 + BlocksCount, 1209);
        Assert.Equal("ext2 files map more blocks than the image's 1209 (at /c)", Refusal(image));
    }

    [Theory]
    [InlineData(RootBlock + 4, 7, 2, "ext2 directory / has a malformed entry at byte 0 of block 13")]
    [InlineData(RootBlock + 24 + 4, 1001, 2, "ext2 directory / has a malformed entry at byte 24 of block 13")]
    [InlineData(RootBlock + 12 + 6, 5, 1, "ext2 directory / has a malformed entry at byte 12 of block 13")]
    public void Malformed_directory_entries_are_refused_where_they_are(int offset, int value, int width, string message)
    {
        var image = OneFile();
        if (width == 1)
            image[offset] = (byte)value;
        else
            Set16(image, offset, (ushort)value);
        Assert.Equal(message, Refusal(image));
    }

    [Fact]
    public void A_name_may_fill_its_record_exactly_and_not_overrun_it()
    {
        // "abcd" is followed by "e": its record is exactly 8 + 4 bytes.
        var image = Build(Directory(("abcd", File([])), ("e", File([]))));
        Assert.Equal(12, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(RootBlock + 24 + 4)));
        Assert.Equal(["abcd", "e"], Read(image).Children.Keys);
        image[RootBlock + 24 + 6] = 5;
        Assert.Equal("ext2 directory / has a malformed entry at byte 24 of block 13", Refusal(image));
    }

    [Fact]
    public void A_record_in_the_last_8_bytes_of_a_block_is_read_and_a_tail_of_4_is_not()
    {
        var image = OneFile();
        // "abcd" ends at 1016, and an 8-byte record of no inode fills the block.
        Set16(image, RootBlock + 24 + 4, 992);
        Set16(image, RootBlock + 1016 + 4, 8);
        Assert.Equal(["abcd"], Read(image).Children.Keys);
        Set32(image, RootBlock + 1016, 11);
        Assert.Equal("ext2 directory / holds an entry named ''", Refusal(image));
        // "abcd" ends at 1020: the 4 bytes left cannot hold a record and are not read.
        Set16(image, RootBlock + 24 + 4, 996);
        Assert.Equal(["abcd"], Read(image).Children.Keys);
    }

    [Fact]
    public void A_directory_named_twice_or_inside_itself_is_refused()
    {
        // Inodes: a 11, b 12, a/c 13; blocks: the root 13, a 14. Entries of both: ".", "..", then one of 12 bytes each.
        var image = Build(Directory(("a", Directory(("c", File([])))), ("b", File([]))));
        var secondName = image.ToArray();
        Set32(secondName, RootBlock + 36, 11);
        Assert.Equal("ext2 directory /b appears twice in the tree", Refusal(secondName));
        var cycle = image.ToArray();
        Set32(cycle, 14 * 1024 + 24, 2);
        Assert.Equal("ext2 directory /a/c appears twice in the tree", Refusal(cycle));
        // A file named twice is one node: a hard link.
        Set32(image, RootBlock + 36, 13);
        var back = Read(image);
        Assert.Same(back.Children["a"].Children["c"], back.Children["b"]);
    }

    [Fact]
    public void A_name_with_a_slash_is_refused()
    {
        var image = OneFile();
        image[RootBlock + 24 + 8 + 1] = (byte)'/';
        Assert.Equal("ext2 directory / holds an entry named 'a/cd'", Refusal(image));
    }

    [Fact]
    public void Names_of_255_bytes_are_written_and_256_refused()
    {
        var longest = new string('é', 255);
        var image = Build(Directory((longest, File([1, 2, 3]))));
        Assert.Equal(255, image[RootBlock + 24 + 6]);
        Assert.Equal(1, image[RootBlock + 24 + 7]);
        Assert.Equal([1, 2, 3], Content(Read(image).Children[longest]));
        var tooLong = new string('é', 256);
        Assert.Equal($"ext2 name '{tooLong}' is longer than 255 bytes", Assert.Throws<InvalidDataException>(() => Build(Directory((tooLong, File([]))))).Message);
    }

    [Theory]
    [InlineData(50, 1)]
    [InlineData(51, 2)]
    public void Directory_entries_fill_a_block_exactly_before_the_next_is_begun(int names, int blocks)
    {
        // "." and ".." take 24 bytes; names of 12 characters take 20: 50 of them fill the rest of the block.
        var files = Enumerable.Range(0, names).Select(i => ($"name-{i:D7}", File([]))).ToArray();
        var image = Build(Directory(files));
        Assert.Equal(blocks * 1024u, BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, 2)[4..]));
        Assert.Equal(1024 - (24 + 49 * 20), BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(RootBlock + 24 + 49 * 20 + 4)));
        Assert.Equal(files.Select(f => f.Item1), Read(image).Children.Keys);
    }

    [Fact]
    public void Each_kind_of_file_has_its_directory_entry_type()
    {
        var image = Build(Directory(("a", File([])), ("b", new Ext2Node { Mode = 0x6180 }), ("c", new Ext2Node { Mode = 0x2180 }), ("d", Directory()),
            ("f", new Ext2Node { Mode = 0x1180 }), ("l", Symlink("a")), ("s", new Ext2Node { Mode = 0xC1ED })));
        // Entries from byte 24, each 12 bytes: the type is byte 7 of each.
        Assert.Equal([1, 4, 3, 2, 5, 7, 6], Enumerable.Range(0, 7).Select(i => image[RootBlock + 24 + i * 12 + 7]));
        Assert.Equal([2, 2], new[] { image[RootBlock + 7], image[RootBlock + 12 + 7] });
    }

    [Fact]
    public void The_superblock_is_written_field_by_field()
    {
        var image = Build(Directory(("d", Directory())), EightGroups with { VolumeName = [.. "ramdisk\0\0\0\0\0\0\0\0\0"u8] });
        var superblock = image[1024..2048];
        uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(at));
        ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(superblock.AsSpan(at));
        Assert.Equal((512u, 2048u, 1u, 0u, 256u, 256u, 64u), (U32(0), U32(4), U32(20), U32(24), U32(32), U32(36), U32(40)));
        Assert.Equal((Now, Now, (ushort)0xFFFF, (ushort)1, (ushort)1), (U32(48), U32(64), U16(54), U16(58), U16(60)));
        Assert.Equal((1u, 11u, (ushort)128, 2u, 1u), (U32(76), U32(84), U16(88), U32(96), U32(100)));
        Assert.Equal("ramdisk", Encoding.ASCII.GetString(superblock, 120, 7));
        // The copy in group 3 says which group holds it; the descriptors follow each copy.
        var copy = image.AsSpan((1 + 3 * 256) * 1024, 1024);
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(copy[90..]));
        Assert.Equal(0, U16(90));
        Assert.Equal(superblock[..90], copy[..90].ToArray());
        Assert.Equal(image.AsSpan(2048, 8 * 32).ToArray(), image.AsSpan((2 + 3 * 256) * 1024, 8 * 32).ToArray());
    }

    [Fact]
    public void The_bitmaps_mark_what_is_used_and_the_space_past_the_group_as_used()
    {
        var image = Build(Directory(("a", File(Random(3000, 16)))), Geometry(blocks: 1000));
        // Blocks 1 to 16 are used (metadata 1-12, root 13, a 14-16): bits 0 to 15 of the bitmap at block 3.
        var blocks = image.AsSpan(3 * 1024, 1024);
        Assert.Equal([0xFF, 0xFF, 0x00], blocks[..3].ToArray());
        // The group has 999 blocks: bits 999 and on are set, 998 is free.
        Assert.Equal(0x80, blocks[124]);
        Assert.True(blocks[125..].ToArray().All(b => b == 0xFF));
        // Inodes 1 to 11 are used, 12 to 64 free, 65 and on lie past the group.
        var inodes = image.AsSpan(4 * 1024, 1024);
        Assert.Equal([0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0xFF], inodes[..9].ToArray());
        Assert.Equal((999u - 16, 53u), (BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(1024 + 12)), BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(1024 + 16))));
    }

    [Fact]
    public void Superblock_copies_lie_in_groups_0_and_1_and_the_powers_of_3_5_and_7()
    {
        // 33 groups of 256 blocks and 8 inodes: two blocks of group descriptors.
        var geometry = Geometry(blocks: 1 + 33 * 256, inodes: 33 * 8, blocksPerGroup: 256) with { InodesPerGroup = 8 };
        var image = Build(Directory(("a", File(Random(3000, 17)))), geometry);
        int[] copies = [0, 1, 3, 5, 7, 9, 25, 27];
        for (var group = 0; group < 33; group++)
        {
            var start = (1 + group * 256) * 1024;
            Assert.Equal(copies.Contains(group), BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(start + 56)) == Ext2Superblock.Magic);
            // A group's block bitmap follows its superblock and two descriptor blocks, or opens the group.
            var descriptor = image.AsSpan(2048 + group * 32);
            Assert.Equal((uint)(1 + group * 256 + (copies.Contains(group) ? 3 : 0)), BinaryPrimitives.ReadUInt32LittleEndian(descriptor));
        }
        Assert.Equal(Random(3000, 17), Content(Read(image).Children["a"]));
    }

    [Fact]
    public void A_tree_may_fill_every_block_and_not_one_byte_more()
    {
        // 128 blocks: 12 of metadata from block 1, the root's block, then 114 for a file of 113 blocks and its indirect block.
        var full = Build(Directory(("a", File(Random(113 * 1024, 18)))), Geometry(blocks: 128));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(full.AsSpan(1024 + 12)));
        Assert.Equal(Random(113 * 1024, 18), Content(Read(full).Children["a"]));
        Assert.Equal("the tree does not fit in the image's 128 blocks",
            Assert.Throws<InvalidDataException>(() => Build(Directory(("a", File(Random(113 * 1024 + 1, 18)))), Geometry(blocks: 128))).Message);
    }

    [Fact]
    public void A_last_group_just_large_enough_for_its_metadata_is_built_and_one_block_less_refused()
    {
        // Group 1 of 1020-block groups holds a superblock, a descriptor block, two bitmaps and 8 inode table blocks: 12.
        static Ext2Superblock TwoGroups(uint blocks) => Geometry(blocks: blocks, inodes: 128, blocksPerGroup: 1020) with { InodesPerGroup = 64 };
        var image = Build(Directory(), TwoGroups(1 + 1020 + 12));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(2048 + 32 + 12)));
        Assert.Equal(0x41EDu, Read(image).Mode);
        Assert.Equal("the ext2 image to rebuild has group 1 too small for its bitmaps and inode table",
            Assert.Throws<InvalidDataException>(() => Build(Directory(), TwoGroups(1 + 1020 + 11))).Message);
    }

    [Fact]
    public void Groups_of_8192_inodes_are_built()
    {
        var image = Build(Directory(("a", File([5]))), Geometry(blocks: 2048, inodes: 8192));
        Assert.Equal(8192u, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(1024 + 40)));
        Assert.Equal([5], Content(Read(image).Children["a"]));
    }

    /// <summary>A source that hands out at most 100 bytes a read.</summary>
    private sealed class Trickle(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 100));
    }

    [Fact]
    public void File_blocks_are_filled_from_short_reads_and_zeroed_past_the_end()
    {
        var data = Random(1500, 19);
        var image = Build(Directory(("a", new Ext2Node { Mode = 0x81A4, Size = data.Length, Data = () => new Trickle(data) })));
        Assert.Equal(data, Content(Read(image).Children["a"]));
        // The data blocks are 14 and 15: the second holds 476 bytes, then zeros, not what the first held.
        Assert.Equal(data, image.AsSpan(14 * 1024, 1500).ToArray());
        Assert.True(image.AsSpan(14 * 1024 + 1500, 548).ToArray().All(b => b == 0));
    }

    [Theory]
    [InlineData(1u, null)]
    [InlineData(64u, null)]
    [InlineData(65u, "ext2 entry /abcd names inode 65, outside the image's 64")]
    public void An_entry_may_name_inodes_1_to_the_count(uint inode, string? message)
    {
        var image = OneFile();
        Set32(image, RootBlock + 24, inode);
        if (message is null)
            Assert.Equal(0u, Read(image).Children["abcd"].Mode);
        else
            Assert.Equal(message, Refusal(image));
    }

    [Fact]
    public void Fifos_and_sockets_get_no_blocks_whatever_their_size()
    {
        var image = Build(Directory(("f", new Ext2Node { Mode = 0x1180, Size = 100, Data = () => new MemoryStream(new byte[100]) }),
            ("s", new Ext2Node { Mode = 0xC1ED, Size = 100, Data = () => new MemoryStream(new byte[100]) })));
        foreach (var inode in new uint[] { 11, 12 })
        {
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, inode)[28..]));
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(Inode(image, inode)[40..]));
        }
    }

    [Fact]
    public void A_file_needing_triple_indirect_blocks_is_refused_before_anything_is_written()
    {
        // 12 direct, 256 indirect and 65,536 double indirect blocks are the most written; one block more is refused.
        var size = (12 + 256 + 65_536 + 1) * 1024L;
        var geometry = Geometry(blocks: 70_000, inodes: 9 * 64) with { InodesPerGroup = 64 };
        var output = new MemoryStream();
        var error = Assert.Throws<InvalidDataException>(() => Ext2Builder.Write(output, Directory(("big", new Ext2Node { Mode = 0x81A4, Size = size })), geometry, Now));
        Assert.Equal("a file needs triple indirect blocks, which are not written", error.Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void A_directory_under_two_names_or_a_file_with_a_size_and_no_data_is_refused()
    {
        var shared = Directory();
        Assert.Equal("ext2 directory 'b' would have two parents", Assert.Throws<InvalidDataException>(() => Build(Directory(("a", shared), ("b", shared)))).Message);
        Assert.Equal("a file with a size has no data", Assert.Throws<InvalidDataException>(() => Build(Directory(("a", new Ext2Node { Mode = 0x81A4, Size = 10 })))).Message);
    }
}

using System.Buffers.Binary;

namespace Eliloader.Formats.Ext2;

/// <summary>The fields of an ext2 superblock that reading and rebuilding an image need.</summary>
public sealed record Ext2Superblock(
    uint InodesCount,
    uint BlocksCount,
    uint FirstDataBlock,
    int BlockSize,
    uint BlocksPerGroup,
    uint InodesPerGroup,
    int InodeSize,
    uint FirstInode,
    byte[] Uuid,
    byte[] VolumeName)
{
    public const int Offset = 1024;
    public const ushort Magic = 0xEF53;

    public uint GroupCount => (uint)(((long)BlocksCount - FirstDataBlock + BlocksPerGroup - 1) / BlocksPerGroup);

    public static Ext2Superblock Parse(byte[] block, long imageLength)
    {
        uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(at));
        ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(at));
        if (U16(56) != Magic)
            throw new InvalidDataException("not an ext2 image: no superblock magic");
        var logBlockSize = U32(24);
        if (logBlockSize > 2)
            throw new InvalidDataException($"ext2 block size 1024 << {logBlockSize} is not supported");
        var revision = U32(76);
        var superblock = new Ext2Superblock(
            InodesCount: U32(0),
            BlocksCount: U32(4),
            FirstDataBlock: U32(20),
            BlockSize: 1024 << (int)logBlockSize,
            BlocksPerGroup: U32(32),
            InodesPerGroup: U32(40),
            InodeSize: revision == 0 ? 128 : U16(88),
            FirstInode: revision == 0 ? 11 : U32(84),
            Uuid: block[104..120],
            VolumeName: block[120..136]);
        // A group's block and inode bitmaps are one block each.
        var bitsPerBlock = 8u * (uint)superblock.BlockSize;
        if (superblock.BlocksPerGroup == 0 || superblock.BlocksPerGroup > bitsPerBlock || superblock.InodesPerGroup == 0 || superblock.InodesPerGroup > bitsPerBlock
            || superblock.InodeSize < 128 || superblock.InodeSize > superblock.BlockSize)
            throw new InvalidDataException("ext2 superblock has an impossible geometry");
        if ((long)superblock.BlocksCount * superblock.BlockSize > imageLength)
            throw new InvalidDataException($"ext2 image claims {superblock.BlocksCount} blocks but holds {imageLength} bytes");
        if (superblock.FirstDataBlock > 1 || superblock.FirstDataBlock >= superblock.BlocksCount)
            throw new InvalidDataException($"ext2 superblock puts the first data block at {superblock.FirstDataBlock}, not 0 or 1 inside its {superblock.BlocksCount} blocks");
        if (superblock.InodesCount > (long)superblock.InodesPerGroup * superblock.GroupCount)
            throw new InvalidDataException($"ext2 superblock claims {superblock.InodesCount} inodes, more than its {superblock.GroupCount} groups of {superblock.InodesPerGroup} hold");
        if ((U32(96) & ~0x2u) != 0)
            throw new InvalidDataException($"ext2 image uses incompatible features {U32(96):x} this reader does not know");
        return superblock;
    }
}

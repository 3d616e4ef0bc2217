using System.Buffers.Binary;
using Field = Eliloader.Formats.Ext2.Ext2Layout.Superblock;

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
    /// <summary>The superblock lies 1024 bytes into the image, whatever the block size.</summary>
    public const int Offset = 1024;

    /// <summary>The superblock's size, which is also the smallest block size.</summary>
    public const int Size = 1024;

    public const ushort Magic = 0xEF53;

    public uint GroupCount => (uint)(((long)BlocksCount - FirstDataBlock + BlocksPerGroup - 1) / BlocksPerGroup);

    public static Ext2Superblock Parse(byte[] block, long imageLength)
    {
        uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(at));
        ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(at));
        if (U16(Field.Magic) != Magic)
            throw new InvalidDataException("not an ext2 image: no superblock magic");
        var logBlockSize = U32(Field.LogBlockSize);
        if (logBlockSize > 2)
            throw new InvalidDataException($"ext2 block size 1024 << {logBlockSize} is not supported");
        var revision = U32(Field.RevisionLevel);
        var superblock = new Ext2Superblock(
            InodesCount: U32(Field.InodesCount),
            BlocksCount: U32(Field.BlocksCount),
            FirstDataBlock: U32(Field.FirstDataBlock),
            BlockSize: Size << (int)logBlockSize,
            BlocksPerGroup: U32(Field.BlocksPerGroup),
            InodesPerGroup: U32(Field.InodesPerGroup),
            InodeSize: revision == 0 ? Ext2Layout.GoodOldInodeSize : U16(Field.InodeSize),
            FirstInode: revision == 0 ? Ext2Layout.GoodOldFirstInode : U32(Field.FirstInode),
            Uuid: block[Field.Uuid..(Field.Uuid + Field.UuidLength)],
            VolumeName: block[Field.VolumeName..(Field.VolumeName + Field.VolumeNameLength)]);
        // A group's block and inode bitmaps are one block each.
        var bitsPerBlock = 8u * (uint)superblock.BlockSize;
        if (superblock.BlocksPerGroup == 0 || superblock.BlocksPerGroup > bitsPerBlock || superblock.InodesPerGroup == 0 || superblock.InodesPerGroup > bitsPerBlock
            || superblock.InodeSize < Ext2Layout.GoodOldInodeSize || superblock.InodeSize > superblock.BlockSize)
            throw new InvalidDataException("ext2 superblock has an impossible geometry");
        if ((long)superblock.BlocksCount * superblock.BlockSize > imageLength)
            throw new InvalidDataException($"ext2 image claims {superblock.BlocksCount} blocks but holds {imageLength} bytes");
        if (superblock.FirstDataBlock > 1 || superblock.FirstDataBlock >= superblock.BlocksCount)
            throw new InvalidDataException($"ext2 superblock puts the first data block at {superblock.FirstDataBlock}, not 0 or 1 inside its {superblock.BlocksCount} blocks");
        if (superblock.InodesCount > (long)superblock.InodesPerGroup * superblock.GroupCount)
            throw new InvalidDataException($"ext2 superblock claims {superblock.InodesCount} inodes, more than its {superblock.GroupCount} groups of {superblock.InodesPerGroup} hold");
        if ((U32(Field.FeatureIncompatible) & ~Ext2Layout.IncompatibleFileType) != 0)
            throw new InvalidDataException($"ext2 image uses incompatible features {U32(Field.FeatureIncompatible):x} this reader does not know");
        return superblock;
    }
}

using Descriptor = Eliloader.Formats.Ext2.Ext2Layout.GroupDescriptor;

namespace Eliloader.Formats.Ext2;

/// <summary>
/// Where a rebuilt image keeps each block group's metadata, as mke2fs lays it out with
/// sparse_super: a superblock copy and the descriptor table in groups 0, 1 and the
/// powers of 3, 5 and 7, then the block bitmap, the inode bitmap and the inode table.
/// Allocation keeps its blocks free of these; encoding writes them there.
/// </summary>
internal sealed class Ext2Groups(Ext2Superblock geometry, int blockSize, int inodeSize)
{
    public uint Count { get; } = geometry.GroupCount;

    /// <summary>Blocks of the group descriptor table.</summary>
    public int DescriptorBlocks { get; } = (int)((geometry.GroupCount * Descriptor.Size + blockSize - 1) / blockSize);

    public int InodeTableBlocks { get; } = (int)(geometry.InodesPerGroup * inodeSize / blockSize);

    public uint Start(uint group) => geometry.FirstDataBlock + group * geometry.BlocksPerGroup;

    /// <summary>Blocks in the group: the last one may be short.</summary>
    public int Blocks(uint group) => (int)Math.Min(geometry.BlocksPerGroup, geometry.BlocksCount - Start(group));

    public static bool HasSuperblock(uint group)
    {
        if (group <= 1)
            return true;
        foreach (var power in new uint[] { 3, 5, 7 })
        {
            var n = group;
            while (n % power == 0)
                n /= power;
            if (n == 1)
                return true;
        }
        return false;
    }

    /// <summary>Superblock and descriptor copies (where sparse_super keeps them), bitmaps and inode table.</summary>
    public int MetadataBlocks(uint group) => (HasSuperblock(group) ? 1 + DescriptorBlocks : 0) + 2 + InodeTableBlocks;

    public uint BlockBitmap(uint group) => Start(group) + (uint)(HasSuperblock(group) ? 1 + DescriptorBlocks : 0);

    public uint InodeBitmap(uint group) => BlockBitmap(group) + 1;

    public uint InodeTable(uint group) => BlockBitmap(group) + 2;
}

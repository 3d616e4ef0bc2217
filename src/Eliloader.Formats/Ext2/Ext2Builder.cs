using System.Buffers.Binary;
using Descriptor = Eliloader.Formats.Ext2.Ext2Layout.GroupDescriptor;
using InodeField = Eliloader.Formats.Ext2.Ext2Layout.Inode;
using SuperblockField = Eliloader.Formats.Ext2.Ext2Layout.Superblock;

namespace Eliloader.Formats.Ext2;

/// <summary>
/// Writes a fresh ext2 file system holding a tree: the geometry of the image it
/// replaces (block and inode counts, blocks and inodes per group), 1 KiB blocks,
/// 128-byte inodes, only the filetype and sparse_super features, as mke2fs laid out
/// the RHEL 4 installer ramdisks. <see cref="Ext2Allocation"/> decides where everything
/// goes; this writes it there: blocks in place in the output file, file data streamed
/// from its source, then bitmaps, inode tables, descriptors and superblock copies.
/// </summary>
public sealed class Ext2Builder
{
    private const int BlockSize = Ext2Allocation.BlockSize;
    private const int InodeSize = Ext2Allocation.InodeSize;
    private const int PointersPerBlock = Ext2Allocation.PointersPerBlock;

    private readonly Stream output;
    private readonly Ext2Allocation allocation;
    private readonly Ext2Superblock geometry;
    private readonly Ext2Groups groups;

    private Ext2Builder(Stream output, Ext2Allocation allocation)
    {
        this.output = output;
        this.allocation = allocation;
        geometry = allocation.Geometry;
        groups = allocation.Groups;
    }

    /// <summary>Writes the image of <paramref name="root"/> with the geometry of <paramref name="geometry"/>.</summary>
    public static void Write(Stream output, Ext2Node root, Ext2Superblock geometry, uint now)
    {
        var builder = new Ext2Builder(output, Ext2Allocation.Of(root, geometry));
        output.SetLength((long)geometry.BlocksCount * BlockSize);
        foreach (var item in builder.allocation.Placed)
            builder.WriteData(item);
        builder.WriteMetadata(now);
        output.Flush();
    }

    private void WriteData(Ext2PlacedNode item)
    {
        var node = item.Node;
        if (item.Entries is { } blocks)
        {
            for (var i = 0; i < blocks.Count; i++)
                WriteBlock(item.DataBlocks[i], blocks[i]);
        }
        else if (item.DataBlocks.Count > 0)
        {
            using var data = node.Data?.Invoke() ?? throw new InvalidDataException("a file with a size has no data");
            var buffer = new byte[BlockSize];
            foreach (var block in item.DataBlocks)
            {
                Array.Clear(buffer);
                var filled = 0;
                int read;
                while (filled < BlockSize && (read = data.Read(buffer, filled, BlockSize - filled)) > 0)
                    filled += read;
                WriteBlock(block, buffer);
            }
        }
        WriteIndirect(item);
    }

    private void WriteIndirect(Ext2PlacedNode item)
    {
        if (item.Pointers[InodeField.SingleIndirect] != 0)
            WritePointers(item.Pointers[InodeField.SingleIndirect], item.DataBlocks.Skip(InodeField.DirectPointers).Take(PointersPerBlock));
        if (item.Pointers[InodeField.DoubleIndirect] == 0)
            return;
        var doubly = item.DataBlocks.Skip(InodeField.DirectPointers + PointersPerBlock).Chunk(PointersPerBlock).ToList();
        WritePointers(item.Pointers[InodeField.DoubleIndirect], item.Maps);
        for (var i = 0; i < doubly.Count; i++)
            WritePointers(item.Maps[i], doubly[i]);
    }

    private void WritePointers(uint block, IEnumerable<uint> pointers)
    {
        var table = new byte[BlockSize];
        var i = 0;
        foreach (var pointer in pointers)
            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4 * i++), pointer);
        WriteBlock(block, table);
    }

    private void WriteBlock(uint block, ReadOnlySpan<byte> bytes)
    {
        output.Position = (long)block * BlockSize;
        output.Write(bytes);
    }

    private void WriteMetadata(uint now)
    {
        var inodesPerGroup = geometry.InodesPerGroup;
        var inodeUsed = new bool[geometry.InodesCount + 1];
        for (var i = 1u; i < Ext2Layout.GoodOldFirstInode; i++)
            inodeUsed[i] = true;
        foreach (var item in allocation.Placed)
            inodeUsed[item.Inode] = true;

        var descriptors = new byte[groups.DescriptorBlocks * BlockSize];
        uint freeBlocks = 0, freeInodes = 0;
        for (var g = 0u; g < groups.Count; g++)
        {
            var bitmap = new byte[BlockSize];
            var groupFree = 0;
            for (var b = 0; b < BlockSize * 8; b++)
            {
                if (allocation.IsBlockUsed(g, b))
                    bitmap[b / 8] |= (byte)(1 << (b % 8));
                else
                    groupFree++;
            }
            WriteBlock(groups.BlockBitmap(g), bitmap);

            var inodeBitmap = new byte[BlockSize];
            var groupFreeInodes = 0;
            var directories = 0;
            for (var i = 0; i < BlockSize * 8; i++)
            {
                var number = g * inodesPerGroup + (uint)i + 1;
                var used = i >= inodesPerGroup || inodeUsed[number];
                if (used)
                    inodeBitmap[i / 8] |= (byte)(1 << (i % 8));
                else
                    groupFreeInodes++;
            }
            WriteBlock(groups.InodeBitmap(g), inodeBitmap);

            var table = new byte[groups.InodeTableBlocks * BlockSize];
            foreach (var item in allocation.Placed.Where(p => (p.Inode - 1) / inodesPerGroup == g))
            {
                InodeBytes(item, now).CopyTo(table.AsSpan((int)((item.Inode - 1) % inodesPerGroup) * InodeSize));
                if (item.Node.IsDirectory)
                    directories++;
            }
            output.Position = (long)groups.InodeTable(g) * BlockSize;
            output.Write(table);

            var descriptor = descriptors.AsSpan((int)g * Descriptor.Size, Descriptor.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[Descriptor.BlockBitmap..], groups.BlockBitmap(g));
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[Descriptor.InodeBitmap..], groups.InodeBitmap(g));
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[Descriptor.InodeTable..], groups.InodeTable(g));
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[Descriptor.FreeBlocksCount..], (ushort)groupFree);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[Descriptor.FreeInodesCount..], (ushort)groupFreeInodes);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[Descriptor.UsedDirectoriesCount..], (ushort)directories);
            freeBlocks += (uint)groupFree;
            freeInodes += (uint)groupFreeInodes;
        }

        for (var g = 0u; g < groups.Count; g++)
        {
            if (!Ext2Groups.HasSuperblock(g))
                continue;
            WriteBlock(groups.Start(g), SuperblockBytes(freeBlocks, freeInodes, (ushort)g, now));
            output.Position = (long)(groups.Start(g) + 1) * BlockSize;
            output.Write(descriptors);
        }
    }

    private byte[] SuperblockBytes(uint freeBlocks, uint freeInodes, ushort group, uint now)
    {
        var s = new byte[BlockSize];
        var span = s.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.InodesCount..], geometry.InodesCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.BlocksCount..], geometry.BlocksCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.FreeBlocksCount..], freeBlocks);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.FreeInodesCount..], freeInodes);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.FirstDataBlock..], geometry.FirstDataBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.BlocksPerGroup..], geometry.BlocksPerGroup);
        // Fragments are blocks in every ext2 the kernel mounts.
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.FragmentsPerGroup..], geometry.BlocksPerGroup);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.InodesPerGroup..], geometry.InodesPerGroup);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.WriteTime..], now);
        // No check forced by a mount count (-1), a clean file system (1), errors continue (1).
        BinaryPrimitives.WriteUInt16LittleEndian(span[SuperblockField.MaxMountCount..], 0xFFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(span[SuperblockField.Magic..], Ext2Superblock.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[SuperblockField.State..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[SuperblockField.Errors..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.LastCheck..], now);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.RevisionLevel..], Ext2Layout.DynamicRevision);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.FirstInode..], Ext2Layout.GoodOldFirstInode);
        BinaryPrimitives.WriteUInt16LittleEndian(span[SuperblockField.InodeSize..], InodeSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[SuperblockField.BlockGroupNumber..], group);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.FeatureIncompatible..], Ext2Layout.IncompatibleFileType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[SuperblockField.FeatureReadOnlyCompatible..], Ext2Layout.ReadOnlySparseSuperblocks);
        geometry.Uuid.CopyTo(span[SuperblockField.Uuid..]);
        geometry.VolumeName.CopyTo(span[SuperblockField.VolumeName..]);
        return s;
    }

    private static byte[] InodeBytes(Ext2PlacedNode item, uint now)
    {
        var node = item.Node;
        var inode = new byte[InodeSize];
        var span = inode.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span[InodeField.Mode..], (ushort)node.Mode);
        BinaryPrimitives.WriteUInt16LittleEndian(span[InodeField.Uid..], (ushort)node.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(span[InodeField.Size..], (uint)item.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(span[InodeField.AccessTime..], node.AccessTime == 0 ? now : node.AccessTime);
        BinaryPrimitives.WriteUInt32LittleEndian(span[InodeField.ChangeTime..], node.ChangeTime == 0 ? now : node.ChangeTime);
        BinaryPrimitives.WriteUInt32LittleEndian(span[InodeField.ModificationTime..], node.ModificationTime == 0 ? now : node.ModificationTime);
        BinaryPrimitives.WriteUInt16LittleEndian(span[InodeField.Gid..], (ushort)node.Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(span[InodeField.LinksCount..], (ushort)item.Links);
        BinaryPrimitives.WriteUInt32LittleEndian(span[InodeField.Sectors..], item.Sectors);
        if (Ext2Allocation.IsFastSymlink(node))
        {
            using var target = node.Data?.Invoke() ?? new MemoryStream();
            target.ReadExactly(span.Slice(InodeField.Block, (int)node.Size));
        }
        else
        {
            for (var i = 0; i < InodeField.Pointers; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(span[(InodeField.Block + 4 * i)..], item.Pointers[i]);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(span[InodeField.UidHigh..], (ushort)(node.Uid >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(span[InodeField.GidHigh..], (ushort)(node.Gid >> 16));
        return inode;
    }
}

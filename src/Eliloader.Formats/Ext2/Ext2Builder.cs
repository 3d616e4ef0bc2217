using System.Buffers.Binary;
using System.Text;

namespace Eliloader.Formats.Ext2;

/// <summary>
/// Writes a fresh ext2 file system holding a tree: the geometry of the image it
/// replaces (block and inode counts, blocks and inodes per group), 1 KiB blocks,
/// 128-byte inodes, only the filetype and sparse_super features, as mke2fs laid out
/// the RHEL 4 installer ramdisks. Blocks are written in place in the output file;
/// file data streams from its source.
/// </summary>
public sealed class Ext2Builder
{
    private const int BlockSize = 1024;
    private const int InodeSize = 128;
    private const uint RootInode = 2;
    private const uint FirstInode = 11;
    private const int PointersPerBlock = BlockSize / 4;

    private readonly Stream output;
    private readonly Ext2Superblock geometry;
    private readonly uint groups;
    private readonly int descriptorBlocks;
    private readonly bool[][] blockUsed;
    private readonly List<Placed> placed = [];
    private readonly Dictionary<Ext2Node, Placed> byNode = new(ReferenceEqualityComparer.Instance);
    private uint nextFree;

    private sealed class Placed(Ext2Node node, uint inode)
    {
        public Ext2Node Node { get; } = node;
        public uint Inode { get; } = inode;
        public uint Links { get; set; }
        public uint Parent { get; set; }
        public uint[] Pointers { get; } = new uint[15];
        public uint Sectors { get; set; }
        public long Size { get; set; }
        public List<uint> DataBlocks { get; } = [];

        /// <summary>The second-level map blocks under the double indirect block.</summary>
        public List<uint> Maps { get; } = [];

        /// <summary>A directory's entry blocks, made once when its size is worked out.</summary>
        public List<byte[]>? Entries { get; set; }
    }

    private Ext2Builder(Stream output, Ext2Superblock geometry)
    {
        if (geometry.BlockSize != BlockSize)
            throw new InvalidDataException($"the ext2 image to rebuild has {geometry.BlockSize}-byte blocks; only 1 KiB blocks are rebuilt");
        if (geometry.FirstDataBlock != 1 || geometry.InodesPerGroup % 8 != 0 || geometry.InodesPerGroup > BlockSize * 8 || geometry.BlocksPerGroup > BlockSize * 8)
            throw new InvalidDataException("the ext2 image to rebuild has a geometry mke2fs would not make");
        this.output = output;
        this.geometry = geometry;
        groups = geometry.GroupCount;
        if (geometry.InodesCount != (long)geometry.InodesPerGroup * groups)
            throw new InvalidDataException($"the ext2 image to rebuild has {geometry.InodesCount} inodes, not {geometry.InodesPerGroup} in each of {groups} groups as mke2fs makes them");
        descriptorBlocks = (int)((groups * 32 + BlockSize - 1) / BlockSize);
        blockUsed = new bool[groups][];
        for (var g = 0u; g < groups; g++)
        {
            if (GroupBlocks(g) < MetadataBlocks(g))
                throw new InvalidDataException($"the ext2 image to rebuild has group {g} too small for its bitmaps and inode table");
            blockUsed[g] = new bool[GroupBlocks(g)];
            for (var b = 0; b < MetadataBlocks(g); b++)
                blockUsed[g][b] = true;
        }
    }

    /// <summary>Writes the image of <paramref name="root"/> with the geometry of <paramref name="geometry"/>.</summary>
    public static void Write(Stream output, Ext2Node root, Ext2Superblock geometry, uint now)
    {
        var builder = new Ext2Builder(output, geometry);
        builder.Place(root);
        output.SetLength((long)geometry.BlocksCount * BlockSize);
        foreach (var item in builder.placed)
            builder.WriteData(item);
        builder.WriteMetadata(now);
        output.Flush();
    }

    private uint GroupStart(uint group) => geometry.FirstDataBlock + group * geometry.BlocksPerGroup;

    private int GroupBlocks(uint group) => (int)Math.Min(geometry.BlocksPerGroup, geometry.BlocksCount - GroupStart(group));

    private static bool HasSuperblock(uint group)
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

    private int InodeTableBlocks => (int)(geometry.InodesPerGroup * InodeSize / BlockSize);

    /// <summary>Superblock and descriptor copies (where sparse_super keeps them), bitmaps and inode table.</summary>
    private int MetadataBlocks(uint group) => (HasSuperblock(group) ? 1 + descriptorBlocks : 0) + 2 + InodeTableBlocks;

    private uint BlockBitmap(uint group) => GroupStart(group) + (uint)(HasSuperblock(group) ? 1 + descriptorBlocks : 0);

    /// <summary>Numbers every node (the root is inode 2, the rest from 11 on) and gives it blocks.</summary>
    private void Place(Ext2Node root)
    {
        var rootPlaced = new Placed(root, RootInode) { Parent = RootInode, Links = 1 };
        byNode[root] = rootPlaced;
        placed.Add(rootPlaced);
        var next = FirstInode;
        var pending = new Queue<Placed>([rootPlaced]);
        while (pending.TryDequeue(out var directory))
        {
            // lost+found first, where mke2fs puts it.
            foreach (var (name, child) in directory.Node.Children.OrderBy(c => c.Key == "lost+found" ? 0 : 1))
            {
                if (byNode.TryGetValue(child, out var known))
                {
                    if (child.IsDirectory)
                        throw new InvalidDataException($"ext2 directory '{name}' would have two parents");
                    known.Links++;
                    continue;
                }
                if (next > geometry.InodesCount)
                    throw new InvalidDataException($"the tree has more files than the image's {geometry.InodesCount} inodes");
                var item = new Placed(child, next++) { Links = 1, Parent = directory.Inode };
                byNode[child] = item;
                placed.Add(item);
                if (child.IsDirectory)
                    pending.Enqueue(item);
            }
        }
        foreach (var item in placed.Where(p => p.Node.IsDirectory))
            item.Links += 1 + (uint)item.Node.Children.Values.Count(c => c.IsDirectory);
        foreach (var item in placed)
            Allocate(item);
    }

    private void Allocate(Placed item)
    {
        var node = item.Node;
        if (node.IsDirectory)
            item.Entries = DirectoryBlocks(item);
        item.Size = item.Entries is { } entries ? entries.Count * (long)BlockSize : node.Size;
        if (node.Type is 0x2000 or 0x6000)
        {
            if (node.RdevMajor < 256 && node.RdevMinor < 256)
                item.Pointers[0] = (node.RdevMajor << 8) | node.RdevMinor;
            else
                item.Pointers[1] = (node.RdevMinor & 0xFF) | (node.RdevMajor << 8) | ((node.RdevMinor & ~0xFFu) << 12);
            return;
        }
        if (node.Type == 0xA000 && node.Size < 60)
            return;
        if (node.Type is not (0x8000 or 0x4000 or 0xA000))
            return;
        var count = (item.Size + BlockSize - 1) / BlockSize;
        uint metadata = 0;
        for (var i = 0; i < count; i++)
        {
            if (i < 12)
            {
                item.Pointers[i] = Take();
            }
            else if (i < 12 + PointersPerBlock)
            {
                if (i == 12)
                {
                    item.Pointers[12] = Take();
                    metadata++;
                }
            }
            else if (i < 12 + PointersPerBlock + PointersPerBlock * PointersPerBlock)
            {
                var j = i - 12 - PointersPerBlock;
                if (j == 0)
                {
                    item.Pointers[13] = Take();
                    metadata++;
                }
                if (j % PointersPerBlock == 0)
                {
                    item.Maps.Add(Take());
                    metadata++;
                }
            }
            else
            {
                throw new InvalidDataException("a file needs triple indirect blocks, which are not written");
            }
            if (i >= 12)
                item.DataBlocks.Add(0);
            else
                item.DataBlocks.Add(item.Pointers[i]);
        }
        // Indirect-mapped data blocks: allocated after the map blocks above, in order.
        for (var i = 12; i < item.DataBlocks.Count; i++)
            item.DataBlocks[i] = Take();
        item.Sectors = (uint)(count + metadata) * (BlockSize / 512);
    }

    private uint Take()
    {
        while (true)
        {
            var block = geometry.FirstDataBlock + nextFree;
            if (block >= geometry.BlocksCount)
                throw new InvalidDataException($"the tree does not fit in the image's {geometry.BlocksCount} blocks");
            nextFree++;
            var group = (block - geometry.FirstDataBlock) / geometry.BlocksPerGroup;
            var index = (int)((block - geometry.FirstDataBlock) % geometry.BlocksPerGroup);
            if (blockUsed[group][index])
                continue;
            blockUsed[group][index] = true;
            return block;
        }
    }

    private List<byte[]> DirectoryBlocks(Placed directory)
    {
        var entries = new List<(uint Inode, string Name, byte Type)>
        {
            (directory.Inode, ".", 2),
            (directory.Parent, "..", 2),
        };
        entries.AddRange(directory.Node.Children.Select(c => (byNode[c.Value].Inode, c.Key, FileType(c.Value))));
        var blocks = new List<byte[]>();
        var block = new byte[BlockSize];
        int at = 0, last = -1;
        foreach (var (inode, name, type) in entries)
        {
            var bytes = Encoding.Latin1.GetBytes(name);
            if (bytes.Length > 255)
                throw new InvalidDataException($"ext2 name '{name}' is longer than 255 bytes");
            var length = (8 + bytes.Length + 3) & ~3;
            if (at + length > BlockSize)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(last + 4), (ushort)(BlockSize - last));
                blocks.Add(block);
                block = new byte[BlockSize];
                at = 0;
            }
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(at), inode);
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(at + 4), (ushort)length);
            block[at + 6] = (byte)bytes.Length;
            block[at + 7] = type;
            bytes.CopyTo(block, at + 8);
            last = at;
            at += length;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(last + 4), (ushort)(BlockSize - last));
        blocks.Add(block);
        return blocks;
    }

    private static byte FileType(Ext2Node node) => node.Type switch
    {
        0x8000 => 1,
        0x4000 => 2,
        0x2000 => 3,
        0x6000 => 4,
        0x1000 => 5,
        0xC000 => 6,
        0xA000 => 7,
        _ => 0,
    };

    private void WriteData(Placed item)
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

    private void WriteIndirect(Placed item)
    {
        if (item.Pointers[12] != 0)
            WritePointers(item.Pointers[12], item.DataBlocks.Skip(12).Take(PointersPerBlock));
        if (item.Pointers[13] == 0)
            return;
        var doubly = item.DataBlocks.Skip(12 + PointersPerBlock).Chunk(PointersPerBlock).ToList();
        WritePointers(item.Pointers[13], item.Maps);
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
        for (var i = 1u; i < FirstInode; i++)
            inodeUsed[i] = true;
        foreach (var item in placed)
            inodeUsed[item.Inode] = true;

        var descriptors = new byte[descriptorBlocks * BlockSize];
        uint freeBlocks = 0, freeInodes = 0;
        for (var g = 0u; g < groups; g++)
        {
            var bitmap = new byte[BlockSize];
            var groupFree = 0;
            for (var b = 0; b < BlockSize * 8; b++)
            {
                var used = b >= blockUsed[g].Length || blockUsed[g][b];
                if (used)
                    bitmap[b / 8] |= (byte)(1 << (b % 8));
                else
                    groupFree++;
            }
            WriteBlock(BlockBitmap(g), bitmap);

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
            WriteBlock(BlockBitmap(g) + 1, inodeBitmap);

            var table = new byte[InodeTableBlocks * BlockSize];
            foreach (var item in placed.Where(p => (p.Inode - 1) / inodesPerGroup == g))
            {
                InodeBytes(item, now).CopyTo(table.AsSpan((int)((item.Inode - 1) % inodesPerGroup) * InodeSize));
                if (item.Node.IsDirectory)
                    directories++;
            }
            output.Position = (long)(BlockBitmap(g) + 2) * BlockSize;
            output.Write(table);

            var descriptor = descriptors.AsSpan((int)g * 32, 32);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor, BlockBitmap(g));
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[4..], BlockBitmap(g) + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[8..], BlockBitmap(g) + 2);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[12..], (ushort)groupFree);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[14..], (ushort)groupFreeInodes);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[16..], (ushort)directories);
            freeBlocks += (uint)groupFree;
            freeInodes += (uint)groupFreeInodes;
        }

        for (var g = 0u; g < groups; g++)
        {
            if (!HasSuperblock(g))
                continue;
            WriteBlock(GroupStart(g), SuperblockBytes(freeBlocks, freeInodes, (ushort)g, now));
            output.Position = (long)(GroupStart(g) + 1) * BlockSize;
            output.Write(descriptors);
        }
    }

    private byte[] SuperblockBytes(uint freeBlocks, uint freeInodes, ushort group, uint now)
    {
        var s = new byte[BlockSize];
        var span = s.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, geometry.InodesCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], geometry.BlocksCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], freeBlocks);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], freeInodes);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], geometry.FirstDataBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(span[32..], geometry.BlocksPerGroup);
        BinaryPrimitives.WriteUInt32LittleEndian(span[36..], geometry.BlocksPerGroup);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], geometry.InodesPerGroup);
        BinaryPrimitives.WriteUInt32LittleEndian(span[48..], now);
        BinaryPrimitives.WriteUInt16LittleEndian(span[54..], 0xFFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(span[56..], Ext2Superblock.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[58..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[60..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[64..], now);
        BinaryPrimitives.WriteUInt32LittleEndian(span[76..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[84..], FirstInode);
        BinaryPrimitives.WriteUInt16LittleEndian(span[88..], InodeSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[90..], group);
        BinaryPrimitives.WriteUInt32LittleEndian(span[96..], 0x2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[100..], 0x1);
        geometry.Uuid.CopyTo(span[104..]);
        geometry.VolumeName.CopyTo(span[120..]);
        return s;
    }

    private byte[] InodeBytes(Placed item, uint now)
    {
        var node = item.Node;
        var inode = new byte[InodeSize];
        var span = inode.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)node.Mode);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)node.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)item.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], node.AccessTime == 0 ? now : node.AccessTime);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], node.ChangeTime == 0 ? now : node.ChangeTime);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], node.ModificationTime == 0 ? now : node.ModificationTime);
        BinaryPrimitives.WriteUInt16LittleEndian(span[24..], (ushort)node.Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(span[26..], (ushort)item.Links);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], item.Sectors);
        if (node.Type == 0xA000 && node.Size < 60)
        {
            using var target = node.Data?.Invoke() ?? new MemoryStream();
            target.ReadExactly(span.Slice(40, (int)node.Size));
        }
        else
        {
            for (var i = 0; i < 15; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(span[(40 + 4 * i)..], item.Pointers[i]);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(span[120..], (ushort)(node.Uid >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(span[122..], (ushort)(node.Gid >> 16));
        return inode;
    }
}

using InodeField = Eliloader.Formats.Ext2.Ext2Layout.Inode;

namespace Eliloader.Formats.Ext2;

/// <summary>
/// Where everything of a tree goes in a rebuilt image, decided before a byte is
/// written: inode numbers (the root 2, the rest from 11 on, breadth first, lost+found
/// first as mke2fs puts it), link counts, each directory's entry blocks, and each file's
/// data and map blocks, taken in order from the first block no group's metadata holds.
/// Only 1 KiB blocks and 128-byte inodes in the geometry mke2fs gives them are rebuilt.
/// </summary>
internal sealed class Ext2Allocation
{
    public const int BlockSize = 1024;
    public const int InodeSize = Ext2Layout.GoodOldInodeSize;
    public const int PointersPerBlock = BlockSize / 4;

    private readonly bool[][] blockUsed;
    private readonly List<Ext2PlacedNode> placed = [];
    private readonly Dictionary<Ext2Node, Ext2PlacedNode> byNode = new(ReferenceEqualityComparer.Instance);
    private uint nextFree;

    public Ext2Superblock Geometry { get; }
    public Ext2Groups Groups { get; }

    /// <summary>Every node with its inode number and blocks, the root first.</summary>
    public IReadOnlyList<Ext2PlacedNode> Placed => placed;

    private Ext2Allocation(Ext2Superblock geometry)
    {
        if (geometry.BlockSize != BlockSize)
            throw new InvalidDataException($"the ext2 image to rebuild has {geometry.BlockSize}-byte blocks; only 1 KiB blocks are rebuilt");
        if (geometry.FirstDataBlock != 1 || geometry.InodesPerGroup % 8 != 0 || geometry.InodesPerGroup > BlockSize * 8 || geometry.BlocksPerGroup > BlockSize * 8)
            throw new InvalidDataException("the ext2 image to rebuild has a geometry mke2fs would not make");
        Geometry = geometry;
        Groups = new Ext2Groups(geometry, BlockSize, InodeSize);
        if (geometry.InodesCount != (long)geometry.InodesPerGroup * Groups.Count)
            throw new InvalidDataException($"the ext2 image to rebuild has {geometry.InodesCount} inodes, not {geometry.InodesPerGroup} in each of {Groups.Count} groups as mke2fs makes them");
        blockUsed = new bool[Groups.Count][];
        for (var g = 0u; g < Groups.Count; g++)
        {
            if (Groups.Blocks(g) < Groups.MetadataBlocks(g))
                throw new InvalidDataException($"the ext2 image to rebuild has group {g} too small for its bitmaps and inode table");
            blockUsed[g] = new bool[Groups.Blocks(g)];
            for (var b = 0; b < Groups.MetadataBlocks(g); b++)
                blockUsed[g][b] = true;
        }
    }

    /// <summary>Places <paramref name="root"/> and everything under it in an image of <paramref name="geometry"/>.</summary>
    public static Ext2Allocation Of(Ext2Node root, Ext2Superblock geometry)
    {
        var allocation = new Ext2Allocation(geometry);
        allocation.Place(root);
        return allocation;
    }

    /// <summary>Whether block <paramref name="index"/> of <paramref name="group"/> holds metadata or data; blocks past a short last group count as used.</summary>
    public bool IsBlockUsed(uint group, int index) => index >= blockUsed[group].Length || blockUsed[group][index];

    /// <summary>Numbers every node (the root is inode 2, the rest from 11 on) and gives it blocks.</summary>
    private void Place(Ext2Node root)
    {
        var rootPlaced = new Ext2PlacedNode(root, Ext2Layout.RootInode) { Parent = Ext2Layout.RootInode, Links = 1 };
        byNode[root] = rootPlaced;
        placed.Add(rootPlaced);
        var next = Ext2Layout.GoodOldFirstInode;
        var pending = new Queue<Ext2PlacedNode>([rootPlaced]);
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
                if (next > Geometry.InodesCount)
                    throw new InvalidDataException($"the tree has more files than the image's {Geometry.InodesCount} inodes");
                var item = new Ext2PlacedNode(child, next++) { Links = 1, Parent = directory.Inode };
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

    private void Allocate(Ext2PlacedNode item)
    {
        var node = item.Node;
        if (node.IsDirectory)
            item.Entries = DirectoryBlocks(item);
        item.Size = item.Entries is { } entries ? entries.Count * (long)BlockSize : node.Size;
        if (UnixFileType.IsDevice(node.Type))
        {
            // The old encoding when both numbers fit a byte, as mke2fs writes it; else the new one.
            if (node.RdevMajor < 256 && node.RdevMinor < 256)
                item.Pointers[0] = (node.RdevMajor << 8) | node.RdevMinor;
            else
                item.Pointers[1] = (node.RdevMinor & 0xFF) | (node.RdevMajor << 8) | ((node.RdevMinor & ~0xFFu) << 12);
            return;
        }
        if (IsFastSymlink(node))
            return;
        if (node.Type is not (UnixFileType.RegularFile or UnixFileType.Directory or UnixFileType.SymbolicLink))
            return;
        var count = (item.Size + BlockSize - 1) / BlockSize;
        uint metadata = 0;
        for (var i = 0; i < count; i++)
        {
            if (i < InodeField.DirectPointers)
            {
                item.Pointers[i] = Take();
            }
            else if (i < InodeField.DirectPointers + PointersPerBlock)
            {
                if (i == InodeField.DirectPointers)
                {
                    item.Pointers[InodeField.SingleIndirect] = Take();
                    metadata++;
                }
            }
            else if (i < InodeField.DirectPointers + PointersPerBlock + PointersPerBlock * PointersPerBlock)
            {
                var j = i - InodeField.DirectPointers - PointersPerBlock;
                if (j == 0)
                {
                    item.Pointers[InodeField.DoubleIndirect] = Take();
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
            if (i >= InodeField.DirectPointers)
                item.DataBlocks.Add(0);
            else
                item.DataBlocks.Add(item.Pointers[i]);
        }
        // Indirect-mapped data blocks: allocated after the map blocks above, in order.
        for (var i = InodeField.DirectPointers; i < item.DataBlocks.Count; i++)
            item.DataBlocks[i] = Take();
        item.Sectors = (uint)(count + metadata) * (BlockSize / 512);
    }

    /// <summary>A symlink whose target fits the inode's block map, where it is kept instead of in a block.</summary>
    public static bool IsFastSymlink(Ext2Node node) => node.Type == UnixFileType.SymbolicLink && node.Size < InodeField.FastSymlinkMaxLength;

    private uint Take()
    {
        while (true)
        {
            var block = Geometry.FirstDataBlock + nextFree;
            if (block >= Geometry.BlocksCount)
                throw new InvalidDataException($"the tree does not fit in the image's {Geometry.BlocksCount} blocks");
            nextFree++;
            var group = (block - Geometry.FirstDataBlock) / Geometry.BlocksPerGroup;
            var index = (int)((block - Geometry.FirstDataBlock) % Geometry.BlocksPerGroup);
            if (blockUsed[group][index])
                continue;
            blockUsed[group][index] = true;
            return block;
        }
    }

    private List<byte[]> DirectoryBlocks(Ext2PlacedNode directory)
    {
        var entries = new List<(uint Inode, string Name, byte Type)>
        {
            (directory.Inode, ".", Ext2Layout.DirectoryEntryType(UnixFileType.Directory)),
            (directory.Parent, "..", Ext2Layout.DirectoryEntryType(UnixFileType.Directory)),
        };
        entries.AddRange(directory.Node.Children.Select(c => (byNode[c.Value].Inode, c.Key, Ext2Layout.DirectoryEntryType(c.Value.Type))));
        return Ext2DirectoryBlocks.Encode(entries, BlockSize);
    }
}

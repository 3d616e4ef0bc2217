namespace Eliloader.Formats.Ext2;

/// <summary>A node of the tree with what allocation gave it: its inode number, links, block map and size.</summary>
internal sealed class Ext2PlacedNode(Ext2Node node, uint inode)
{
    public Ext2Node Node { get; } = node;
    public uint Inode { get; } = inode;
    public uint Links { get; set; }
    public uint Parent { get; set; }

    /// <summary>The inode's block map (or, for a device, its device number).</summary>
    public uint[] Pointers { get; } = new uint[Ext2Layout.Inode.Pointers];

    /// <summary>512-byte sectors of data and map blocks.</summary>
    public uint Sectors { get; set; }

    public long Size { get; set; }

    /// <summary>The data blocks in file order.</summary>
    public List<uint> DataBlocks { get; } = [];

    /// <summary>The second-level map blocks under the double indirect block.</summary>
    public List<uint> Maps { get; } = [];

    /// <summary>A directory's entry blocks, made once when its size is worked out.</summary>
    public List<byte[]>? Entries { get; set; }
}

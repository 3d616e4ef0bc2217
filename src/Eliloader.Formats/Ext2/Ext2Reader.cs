using System.Buffers.Binary;
using System.Text;
using Entry = Eliloader.Formats.Ext2.Ext2Layout.DirectoryEntry;
using Descriptor = Eliloader.Formats.Ext2.Ext2Layout.GroupDescriptor;
using InodeField = Eliloader.Formats.Ext2.Ext2Layout.Inode;

namespace Eliloader.Formats.Ext2;

/// <summary>
/// Reads an ext2 image (RHEL 4 installer ramdisks) in process: no loop mount. The tree
/// comes back as <see cref="Ext2Node"/>s whose data is read from the image on demand.
/// Every block number, size and directory record is checked against the image, each
/// directory is read once (no loops), and hard links come back as one shared node.
/// </summary>
public sealed class Ext2Reader
{
    /// <summary>Names in the tree: RHEL 4's installer ramdisk holds about 600; each costs memory until the image is rebuilt.</summary>
    private const int MaxEntries = 20_000;
    /// <summary>Directories within directories; the tree is read recursively.</summary>
    private const int MaxDepth = 128;
    private readonly Stream image;
    private readonly Dictionary<uint, Ext2Node> nodes = [];
    private readonly uint[] inodeTables;
    private int entries;
    /// <summary>Blocks the files read so far map, indirect blocks included: in a sound image no more than it has.</summary>
    private long blocksClaimed;

    public Ext2Superblock Superblock { get; }

    private Ext2Reader(Stream image, Ext2Superblock superblock, uint[] inodeTables)
    {
        this.image = image;
        Superblock = superblock;
        this.inodeTables = inodeTables;
    }

    public static Ext2Reader Open(Stream image)
    {
        if (image.Length < Ext2Superblock.Offset + Ext2Superblock.Size)
            throw new InvalidDataException($"not an ext2 image: only {image.Length} bytes");
        var block = new byte[Ext2Superblock.Size];
        image.Position = Ext2Superblock.Offset;
        image.ReadExactly(block);
        var superblock = Ext2Superblock.Parse(block, image.Length);
        var groups = superblock.GroupCount;
        var descriptorsAt = (long)(superblock.FirstDataBlock + 1) * superblock.BlockSize;
        if (descriptorsAt + groups * (long)Descriptor.Size > (long)superblock.BlocksCount * superblock.BlockSize)
            throw new InvalidDataException($"ext2 image's {groups} group descriptors lie past the end of the image");
        var descriptors = new byte[groups * Descriptor.Size];
        image.Position = descriptorsAt;
        image.ReadExactly(descriptors);
        var tableBlocks = ((long)superblock.InodesPerGroup * superblock.InodeSize + superblock.BlockSize - 1) / superblock.BlockSize;
        var tables = new uint[groups];
        for (var g = 0; g < groups; g++)
        {
            tables[g] = BinaryPrimitives.ReadUInt32LittleEndian(descriptors.AsSpan(g * Descriptor.Size + Descriptor.InodeTable));
            if (tables[g] + tableBlocks > superblock.BlocksCount)
                throw new InvalidDataException($"ext2 group {g} has its inode table past the end of the image");
        }
        return new Ext2Reader(image, superblock, tables);
    }

    /// <summary>The whole tree from the root directory.</summary>
    public Ext2Node ReadTree() => Node(Ext2Layout.RootInode, "/", 0);

    private Ext2Node Node(uint number, string path, int depth)
    {
        // A file met again is a hard link; a directory met again (a second name, or an
        // entry naming an ancestor) would make the tree a graph, or a cycle.
        if (nodes.TryGetValue(number, out var known))
        {
            return known.IsDirectory
                ? throw new InvalidDataException($"ext2 directory {path} appears twice in the tree")
                : known;
        }
        var inode = Inode(number, path).ToArray();
        uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(inode.AsSpan(at));
        ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(inode.AsSpan(at));
        var symlinkTarget = inode[InodeField.Block..(InodeField.Block + InodeField.FastSymlinkMaxLength)];
        var mode = U16(InodeField.Mode);
        var type = UnixFileType.Of(mode);
        var size = U32(InodeField.Size) | ((long)(type == UnixFileType.RegularFile ? U32(InodeField.SizeHigh) : 0) << 32);
        var blocks = new uint[InodeField.Pointers];
        for (var i = 0; i < InodeField.Pointers; i++)
            blocks[i] = U32(InodeField.Block + i * 4);
        var fastSymlink = type == UnixFileType.SymbolicLink && size < InodeField.FastSymlinkMaxLength && U32(InodeField.FileAcl) == 0 && U32(InodeField.Sectors) == 0;
        uint major = 0, minor = 0;
        if (UnixFileType.IsDevice(type))
        {
            // The old encoding (major and minor a byte each) in the first pointer, else the new one in the second.
            if (blocks[0] != 0)
                (major, minor) = ((blocks[0] >> 8) & 0xFF, blocks[0] & 0xFF);
            else
                (major, minor) = ((blocks[1] & 0xFFF00) >> 8, (blocks[1] & 0xFF) | ((blocks[1] >> 12) & 0xFFF00));
        }
        var hasData = type is UnixFileType.RegularFile or UnixFileType.SymbolicLink;
        var dataBlocks = type is UnixFileType.RegularFile or UnixFileType.Directory || (type == UnixFileType.SymbolicLink && !fastSymlink) ? BlockList(blocks, size, path) : [];
        Func<Stream>? data = fastSymlink
            ? () => new MemoryStream(symlinkTarget, 0, (int)size)
            : hasData ? () => new Ext2FileStream(image, dataBlocks, Superblock.BlockSize, size) : null;
        var node = new Ext2Node
        {
            Mode = mode,
            Uid = U16(InodeField.Uid) | ((uint)U16(InodeField.UidHigh) << 16),
            Gid = U16(InodeField.Gid) | ((uint)U16(InodeField.GidHigh) << 16),
            AccessTime = U32(InodeField.AccessTime),
            ChangeTime = U32(InodeField.ChangeTime),
            ModificationTime = U32(InodeField.ModificationTime),
            RdevMajor = major,
            RdevMinor = minor,
            Size = hasData ? size : 0,
            Data = data,
        };
        nodes[number] = node;
        if (type == UnixFileType.Directory)
        {
            if (depth > MaxDepth)
                throw new InvalidDataException($"ext2 directory {path} lies more than {MaxDepth} directories deep");
            foreach (var (name, child) in Entries(dataBlocks, path))
            {
                if (++entries > MaxEntries)
                    throw new InvalidDataException($"ext2 image holds more than {MaxEntries} names");
                node.Children[name] = Node(child, path.TrimEnd('/') + "/" + name, depth + 1);
            }
        }
        return node;
    }

    private ReadOnlySpan<byte> Inode(uint number, string path)
    {
        if (number < 1 || number > Superblock.InodesCount)
            throw new InvalidDataException($"ext2 entry {path} names inode {number}, outside the image's {Superblock.InodesCount}");
        var group = (number - 1) / Superblock.InodesPerGroup;
        var index = (number - 1) % Superblock.InodesPerGroup;
        var inode = new byte[Superblock.InodeSize];
        image.Position = (long)inodeTables[group] * Superblock.BlockSize + (long)index * Superblock.InodeSize;
        image.ReadExactly(inode);
        return inode;
    }

    private List<uint> BlockList(uint[] pointers, long size, string path)
    {
        var needed = (size + Superblock.BlockSize - 1) / Superblock.BlockSize;
        if (needed > Superblock.BlocksCount)
            throw new InvalidDataException($"ext2 file {path} is {size} bytes, more than the image holds");
        var list = new List<uint>();
        void Add(uint block, int depth)
        {
            if (list.Count >= needed)
                return;
            if (block >= Superblock.BlocksCount)
                throw new InvalidDataException($"ext2 file {path} points at block {block}, past the end of the image");
            if (++blocksClaimed > Superblock.BlocksCount)
                throw new InvalidDataException($"ext2 files map more blocks than the image's {Superblock.BlocksCount} (at {path})");
            if (depth == 0)
            {
                list.Add(block);
                return;
            }
            if (block == 0)
                throw new InvalidDataException($"ext2 file {path} has a hole in its block map");
            var table = new byte[Superblock.BlockSize];
            image.Position = (long)block * Superblock.BlockSize;
            image.ReadExactly(table);
            for (var i = 0; i < table.Length / 4 && list.Count < needed; i++)
                Add(BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(i * 4)), depth - 1);
        }
        for (var i = 0; i < InodeField.DirectPointers; i++)
            Add(pointers[i], 0);
        Add(pointers[InodeField.SingleIndirect], 1);
        Add(pointers[InodeField.DoubleIndirect], 2);
        Add(pointers[InodeField.TripleIndirect], 3);
        if (list.Count < needed)
            throw new InvalidDataException($"ext2 file {path} has fewer blocks than its size needs");
        return list;
    }

    private IEnumerable<(string Name, uint Inode)> Entries(List<uint> blocks, string path)
    {
        var block = new byte[Superblock.BlockSize];
        foreach (var number in blocks)
        {
            image.Position = (long)number * Superblock.BlockSize;
            image.ReadExactly(block);
            var at = 0;
            while (at + Entry.HeaderSize <= block.Length)
            {
                var inode = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(at + Entry.Inode));
                var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(at + Entry.RecordLength));
                var nameLength = block[at + Entry.NameLength];
                if (recordLength < Entry.HeaderSize || at + recordLength > block.Length || Entry.HeaderSize + nameLength > recordLength)
                    throw new InvalidDataException($"ext2 directory {path} has a malformed entry at byte {at} of block {number}");
                if (inode != 0)
                {
                    var name = Encoding.Latin1.GetString(block, at + Entry.Name, nameLength);
                    if (name is not ("." or ".."))
                    {
                        if (name.Length == 0 || name.Contains('/'))
                            throw new InvalidDataException($"ext2 directory {path} holds an entry named '{name}'");
                        yield return (name, inode);
                    }
                }
                at += recordLength;
            }
        }
    }
}

/// <summary>A file's blocks read in order from the image, cut at the file's size.</summary>
internal sealed class Ext2FileStream(Stream image, List<uint> blocks, int blockSize, long size) : ForwardReadStream
{
    private long position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (position >= size)
            return 0;
        var block = (int)(position / blockSize);
        var within = (int)(position % blockSize);
        var n = (int)Math.Min(Math.Min(count, blockSize - within), size - position);
        image.Position = (long)blocks[block] * blockSize + within;
        image.ReadExactly(buffer, offset, n);
        position += n;
        return n;
    }
}

namespace Eliloader.Formats.Ext2;

/// <summary>
/// One file of a tree to write into an ext2 image (or read from one): its metadata,
/// and its data as a stream opened when the image is written. The same node under two
/// names is a hard link.
/// </summary>
public sealed class Ext2Node
{
    public required uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public uint AccessTime { get; init; }
    public uint ChangeTime { get; init; }
    public uint ModificationTime { get; init; }
    public uint RdevMajor { get; init; }
    public uint RdevMinor { get; init; }
    public long Size { get; init; }

    /// <summary>Opens the file's bytes (regular files and symlink targets); null for no data.</summary>
    public Func<Stream>? Data { get; init; }

    /// <summary>Children of a directory by name, in the order they are written.</summary>
    public SortedDictionary<string, Ext2Node> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The mode's <see cref="UnixFileType"/> bits.</summary>
    public uint Type => UnixFileType.Of(Mode);

    public bool IsDirectory => Type == UnixFileType.Directory;
}

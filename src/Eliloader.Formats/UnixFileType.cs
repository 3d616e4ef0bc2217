namespace Eliloader.Formats;

/// <summary>
/// The file type bits of a Unix mode (S_IFMT and its values), as cpio headers and ext2
/// inodes both store them beside the permission bits. Constants rather than an enum, so
/// that a mode is written as the archives hold it: <c>UnixFileType.RegularFile | 0b110_100_100</c>.
/// </summary>
public static class UnixFileType
{
    /// <summary>The bits of a mode that hold its type (S_IFMT).</summary>
    public const uint Mask = 0xF000;

    public const uint Fifo = 0x1000;
    public const uint CharacterDevice = 0x2000;
    public const uint Directory = 0x4000;
    public const uint BlockDevice = 0x6000;
    public const uint RegularFile = 0x8000;
    public const uint SymbolicLink = 0xA000;
    public const uint Socket = 0xC000;

    /// <summary>The type bits of <paramref name="mode"/>.</summary>
    public static uint Of(uint mode) => mode & Mask;

    /// <summary>A character or block device, whose inode or header carries a device number.</summary>
    public static bool IsDevice(uint type) => type is CharacterDevice or BlockDevice;
}

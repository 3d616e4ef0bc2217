namespace Eliloader.Formats.Cpio;

public enum CpioFormat
{
    /// <summary>"070701", SVR4 without checksum: what the kernel and eliloader write.</summary>
    Newc,

    /// <summary>"070702", SVR4 with a sum of the data bytes.</summary>
    Crc,

    /// <summary>"070707", POSIX octal.</summary>
    Odc,

    /// <summary>Old binary, in the byte order of the machine that wrote it.</summary>
    BinaryLittleEndian,
    BinaryBigEndian,
}

/// <summary>The header of one cpio member; its data is read from the reader while it is current.</summary>
public sealed record CpioEntry
{
    public const string TrailerName = "TRAILER!!!";

    public required string Name { get; init; }
    public uint Inode { get; init; }
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public uint LinkCount { get; init; } = 1;
    public uint ModificationTime { get; init; }
    public long DataLength { get; init; }
    public uint DevMajor { get; init; }
    public uint DevMinor { get; init; }
    public uint RdevMajor { get; init; }
    public uint RdevMinor { get; init; }
    public uint Checksum { get; init; }
    public CpioFormat Format { get; init; } = CpioFormat.Newc;

    /// <summary>The mode's <see cref="UnixFileType"/> bits.</summary>
    public uint Type => UnixFileType.Of(Mode);
}

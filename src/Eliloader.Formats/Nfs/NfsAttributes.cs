using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Nfs;

/// <summary>A file's type, as NFS v3 (ftype3, 1 to 7) and v4 (nfs_ftype4, 1 to 9) number them alike.</summary>
public enum NfsFileType
{
    Regular = 1,
    Directory = 2,
    BlockDevice = 3,
    CharacterDevice = 4,
    Symlink = 5,
    Socket = 6,
    Fifo = 7,
    AttributeDirectory = 8,
    NamedAttribute = 9,
}

/// <summary>A time as NFS sends it: seconds and nanoseconds since the epoch.</summary>
public readonly record struct NfsTime(long Seconds, uint Nanoseconds)
{
    public const uint MaxNanoseconds = 999_999_999;

    public static NfsTime Read(XdrReader reader, bool wideSeconds, string what)
    {
        var seconds = wideSeconds ? reader.Int64(what) : reader.UInt32(what);
        var nanoseconds = reader.UInt32(what);
        if (nanoseconds > MaxNanoseconds)
            throw new InvalidDataException($"NFS: {what} has {nanoseconds} nanoseconds, more than a second");
        return new NfsTime(seconds, nanoseconds);
    }

    public override string ToString() => $"{Seconds}.{Nanoseconds:D9}";
}

/// <summary>
/// What this program needs to know of a file: its type, its size, and its change time
/// (ctime), which with the size tells one version of the file from the next.
/// <paramref name="MaxRead"/> is the largest READ the server takes, where it said.
/// </summary>
public sealed record NfsAttributes(NfsFileType Type, ulong Size, NfsTime? ChangeTime, ulong? MaxRead = null)
{
    public static NfsFileType ReadType(XdrReader reader, NfsFileType highest)
    {
        var type = reader.UInt32("the file type");
        return type is >= (uint)NfsFileType.Regular && type <= (uint)highest
            ? (NfsFileType)type
            : throw new InvalidDataException($"NFS: file type {type} is none of 1 to {(uint)highest}");
    }
}

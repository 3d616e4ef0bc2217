using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Nfs;

/// <summary>
/// NFS version 3 (RFC 1813): the arguments and results of GETATTR, LOOKUP, READLINK,
/// READ and FSINFO, which are all a reader of an export needs.
/// </summary>
public static class Nfs3
{
    public const uint GetAttr = 1;
    public const uint Lookup = 3;
    public const uint ReadLink = 5;
    public const uint Read = 6;
    public const uint FsInfo = 19;

    /// <summary>NFS3_FHSIZE: the largest file handle.</summary>
    public const int MaxHandle = 64;

    /// <summary>The longest symlink target this client takes (Linux's PATH_MAX).</summary>
    public const int MaxPath = 4096;

    public static readonly RpcProgram Program = new(100003, 3, "NFS");

    /// <summary>The arguments of GETATTR, READLINK and FSINFO: one file handle.</summary>
    public static byte[] HandleArguments(ReadOnlySpan<byte> handle) => Handle(new XdrWriter(), handle).ToArray();

    public static byte[] LookupArguments(ReadOnlySpan<byte> directory, string name) => Handle(new XdrWriter(), directory).String(name).ToArray();

    public static byte[] ReadArguments(ReadOnlySpan<byte> file, ulong offset, uint count) =>
        Handle(new XdrWriter(), file).UInt64(offset).UInt32(count).ToArray();

    public static NfsAttributes ReadGetAttr(XdrReader reader)
    {
        Status(reader, "GETATTR");
        return FileAttributes(reader);
    }

    /// <summary>The handle LOOKUP found, and its attributes when the server sent them along.</summary>
    public static (byte[] Handle, NfsAttributes? Attributes) ReadLookup(XdrReader reader)
    {
        Status(reader, "LOOKUP");
        var handle = reader.Opaque(MaxHandle, "the file handle").ToArray();
        var attributes = PostOpAttributes(reader);
        PostOpAttributes(reader);
        return (handle, attributes);
    }

    public static string ReadReadLink(XdrReader reader)
    {
        Status(reader, "READLINK");
        PostOpAttributes(reader);
        return reader.String(MaxPath, "the symlink's target");
    }

    /// <summary>A READ's bytes; the count the reply states must match them, and neither may exceed <paramref name="asked"/>.</summary>
    public static NfsRead ReadRead(XdrReader reader, uint asked)
    {
        Status(reader, "READ");
        PostOpAttributes(reader);
        var count = reader.UInt32("the count");
        var eof = reader.Bool("eof");
        var data = reader.Opaque((int)Math.Min(asked, int.MaxValue), "the data");
        if (count != data.Length)
            throw new InvalidDataException($"NFS: READ states a count of {count} and carries {data.Length} bytes");
        return NfsRead.Checked(data, eof, asked);
    }

    /// <summary>The largest READ the server takes (rtmax).</summary>
    public static uint ReadFsInfo(XdrReader reader)
    {
        Status(reader, "FSINFO");
        PostOpAttributes(reader);
        var maxRead = reader.UInt32("rtmax");
        return maxRead > 0 ? maxRead : throw new InvalidDataException("NFS: FSINFO states a largest READ of 0 bytes");
    }

    private static XdrWriter Handle(XdrWriter writer, ReadOnlySpan<byte> handle) =>
        handle.Length <= MaxHandle ? writer.Opaque(handle) : throw new ArgumentException($"a file handle of {handle.Length} bytes", nameof(handle));

    private static void Status(XdrReader reader, string operation)
    {
        var status = reader.UInt32("the status");
        if (status != 0)
            throw new NfsStatusException(operation, status);
    }

    private static NfsAttributes? PostOpAttributes(XdrReader reader) =>
        reader.Bool("attributes_follow") ? FileAttributes(reader) : null;

    /// <summary>fattr3: type, mode, nlink, uid, gid, size, used, rdev, fsid, fileid, atime, mtime, ctime.</summary>
    private static NfsAttributes FileAttributes(XdrReader reader)
    {
        var type = NfsAttributes.ReadType(reader, NfsFileType.Fifo);
        reader.Skip(16, "mode, nlink, uid and gid");
        var size = reader.UInt64("the size");
        reader.Skip(48, "used, rdev, fsid, fileid, atime and mtime");
        return new NfsAttributes(type, size, NfsTime.Read(reader, wideSeconds: false, "the change time"));
    }
}

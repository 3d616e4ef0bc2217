namespace Eliloader.Formats.Nfs;

/// <summary>What one READ brought: the bytes (a slice of the reply) and whether the file ends with them.</summary>
public readonly record struct NfsRead(ReadOnlyMemory<byte> Data, bool Eof)
{
    /// <summary>The bytes must be no more than were asked for: a server may send fewer, never more.</summary>
    public static NfsRead Checked(ReadOnlyMemory<byte> data, bool eof, uint asked) =>
        data.Length <= asked
            ? new NfsRead(data, eof)
            : throw new InvalidDataException($"NFS: READ returned {data.Length} bytes where {asked} were asked for");
}

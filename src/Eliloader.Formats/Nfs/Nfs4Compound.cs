using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Nfs;

/// <summary>
/// The arguments of an NFSv4.0 COMPOUND (RFC 7530): an empty tag, minor version 0 and
/// the operations a reader needs, added in order. Nothing here opens state: READ goes
/// with the anonymous stateid, which servers take for reads by clients without OPEN.
/// </summary>
public sealed class Nfs4Compound
{
    public const uint Procedure = 1;

    /// <summary>NFS4_FHSIZE: the largest file handle.</summary>
    public const int MaxHandle = 128;

    public static readonly RpcProgram Program = new(100003, 4, "NFS");

    private readonly XdrWriter operations = new();

    public int Count { get; private set; }

    public Nfs4Compound PutRootFh() => Operation(Nfs4Operation.PutRootFh);

    public Nfs4Compound PutFh(ReadOnlySpan<byte> handle)
    {
        if (handle.Length > MaxHandle)
            throw new ArgumentException($"a file handle of {handle.Length} bytes", nameof(handle));
        Operation(Nfs4Operation.PutFh).operations.Opaque(handle);
        return this;
    }

    public Nfs4Compound Lookup(string name)
    {
        Operation(Nfs4Operation.Lookup).operations.String(name);
        return this;
    }

    public Nfs4Compound GetFh() => Operation(Nfs4Operation.GetFh);

    /// <summary>GETATTR of type, size and change time, and the largest READ when <paramref name="maxRead"/>.</summary>
    public Nfs4Compound GetAttr(bool maxRead = false)
    {
        Operation(Nfs4Operation.GetAttr);
        Nfs4Attributes.WriteRequest(operations, maxRead);
        return this;
    }

    public Nfs4Compound Read(ulong offset, uint count)
    {
        // The anonymous stateid: seqid 0 and twelve zero bytes.
        Operation(Nfs4Operation.Read).operations.UInt32(0).FixedOpaque(new byte[12]).UInt64(offset).UInt32(count);
        return this;
    }

    public Nfs4Compound ReadLink() => Operation(Nfs4Operation.ReadLink);

    public byte[] Arguments() => new XdrWriter().Opaque([]).UInt32(0).UInt32((uint)Count).FixedOpaque(operations.Written).ToArray();

    private Nfs4Compound Operation(Nfs4Operation operation)
    {
        operations.UInt32((uint)operation);
        Count++;
        return this;
    }
}

/// <summary>The operation numbers of the NFSv4.0 operations this client sends.</summary>
public enum Nfs4Operation
{
    GetAttr = 9,
    GetFh = 10,
    Lookup = 15,
    PutFh = 22,
    PutRootFh = 24,
    Read = 25,
    ReadLink = 27,
}

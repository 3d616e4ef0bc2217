using Eliloader.Formats.Nfs;

namespace Eliloader.Repositories.Nfs;

/// <summary>A file or directory of the server, by its handle, with the attributes it had when looked up.</summary>
public sealed record NfsNode(byte[] Handle, NfsAttributes Attributes);

/// <summary>A READ sent and not yet received: where it reads, and how much it asked for.</summary>
public readonly record struct PendingRead(uint Xid, ulong Offset, uint Count);

/// <summary>
/// What reading an export takes, in either protocol version: look names up one
/// directory at a time, read symlinks, fetch attributes, and send READs ahead of
/// receiving them.
/// </summary>
public interface INfsClient : IDisposable
{
    /// <summary>"NFSv4.0" or "NFSv3", for the log and diagnose.</summary>
    string Version { get; }

    /// <summary>Where the client is connected, for messages.</summary>
    string Connection { get; }

    /// <summary>The largest READ the server takes.</summary>
    uint MaxRead { get; }

    /// <returns>The named entry, or null when the directory has none (or refuses to say).</returns>
    NfsNode? Lookup(NfsNode directory, string name);

    string ReadLink(NfsNode link);

    NfsAttributes GetAttr(NfsNode node);

    PendingRead SendRead(NfsNode file, ulong offset, uint count);

    /// <summary>A READ's bytes, in a buffer given back when the result is disposed.</summary>
    (RpcResult Reply, NfsRead Read) ReceiveRead(PendingRead read);

    /// <summary>Drops a READ whose bytes are no longer wanted.</summary>
    void Forget(PendingRead read);
}

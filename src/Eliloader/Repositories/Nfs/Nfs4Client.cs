using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// NFSv4.0 over TCP port 2049, without state and without the mount protocol: every
/// request is one COMPOUND that starts from a file handle (PUTROOTFH or PUTFH), and
/// READ goes with the anonymous stateid.
/// </summary>
public sealed class Nfs4Client : INfsClient
{
    public const int Port = 2049;

    /// <summary>What a server that does not state its largest READ is asked for at once.</summary>
    private const uint DefaultMaxRead = 1 << 20;

    private readonly RpcConnection nfs;

    private Nfs4Client(RpcConnection nfs, NfsNode root, uint maxRead)
    {
        this.nfs = nfs;
        Root = root;
        MaxRead = maxRead;
    }

    public string Version => "NFSv4.0";

    public string Connection => $"{nfs.Server} from port {nfs.LocalPort}";

    public uint MaxRead { get; }

    /// <summary>The root of the server's namespace (its pseudo filesystem), where export paths start.</summary>
    public NfsNode Root { get; }

    public static Nfs4Client Connect(NfsEndpoints endpoints)
    {
        var nfs = endpoints.Connect(Port);
        try
        {
            var compound = new Nfs4Compound().PutRootFh().GetFh().GetAttr(maxRead: true);
            using var reply = Call(nfs, compound, "PUTROOTFH");
            var results = Nfs4Reply.Begin(reply.Results, compound.Count);
            results.PutRootFh();
            var root = new NfsNode(results.GetFh(), results.GetAttr());
            var maxRead = root.Attributes.MaxRead is > 0 and var stated ? (uint)Math.Min(stated, uint.MaxValue) : DefaultMaxRead;
            return new Nfs4Client(nfs, root, maxRead);
        }
        catch
        {
            nfs.Dispose();
            throw;
        }
    }

    public NfsNode? Lookup(NfsNode directory, string name)
    {
        var compound = new Nfs4Compound().PutFh(directory.Handle).Lookup(name).GetFh().GetAttr();
        try
        {
            using var reply = Call(nfs, compound, "LOOKUP");
            var results = Nfs4Reply.Begin(reply.Results, compound.Count);
            results.PutFh();
            results.Lookup();
            return new NfsNode(results.GetFh(), results.GetAttr());
        }
        catch (NfsStatusException e) when (e.MeansMissing)
        {
            return null;
        }
    }

    public string ReadLink(NfsNode link)
    {
        var compound = new Nfs4Compound().PutFh(link.Handle).ReadLink();
        using var reply = Call(nfs, compound, "READLINK");
        var results = Nfs4Reply.Begin(reply.Results, compound.Count);
        results.PutFh();
        return results.ReadLink();
    }

    public NfsAttributes GetAttr(NfsNode node)
    {
        var compound = new Nfs4Compound().PutFh(node.Handle).GetAttr();
        using var reply = Call(nfs, compound, "GETATTR");
        var results = Nfs4Reply.Begin(reply.Results, compound.Count);
        results.PutFh();
        return results.GetAttr();
    }

    public PendingRead SendRead(NfsNode file, ulong offset, uint count) =>
        new(nfs.Send(Nfs4Compound.Program, Nfs4Compound.Procedure, new Nfs4Compound().PutFh(file.Handle).Read(offset, count).Arguments(), "READ"), offset, count);

    public (RpcResult Reply, NfsRead Read) ReceiveRead(PendingRead read)
    {
        var reply = nfs.Receive(read.Xid, Nfs4Compound.Program);
        try
        {
            var results = Nfs4Reply.Begin(reply.Results, 2);
            results.PutFh();
            return (reply, results.Read(read.Count));
        }
        catch
        {
            reply.Dispose();
            throw;
        }
    }

    public void Forget(PendingRead read) => nfs.Forget(read.Xid);

    private static RpcResult Call(RpcConnection nfs, Nfs4Compound compound, string what) =>
        nfs.Call(Nfs4Compound.Program, Nfs4Compound.Procedure, compound.Arguments(), what);

    public void Dispose() => nfs.Dispose();
}

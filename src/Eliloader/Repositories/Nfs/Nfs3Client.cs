using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// NFSv3 over TCP: the export's handle comes from MOUNT's MNT, files are read with
/// LOOKUP, GETATTR, READLINK and READ on the NFS port, and UMNT tells the server the
/// export is no longer used when the run ends.
/// </summary>
public sealed class Nfs3Client : INfsClient
{
    private readonly RpcConnection mount;
    private readonly RpcConnection nfs;
    private readonly string directory;
    private readonly Action<string> log;

    private Nfs3Client(RpcConnection mount, RpcConnection nfs, string directory, NfsNode root, uint maxRead, Action<string> log)
    {
        (this.mount, this.nfs, this.directory, this.log) = (mount, nfs, directory, log);
        Root = root;
        MaxRead = maxRead;
    }

    public string Version => "NFSv3";

    public string Connection => $"{nfs.Server} from port {nfs.LocalPort} (MOUNT at {mount.Server} from port {mount.LocalPort})";

    public uint MaxRead { get; }

    /// <summary>The exported directory the repository names.</summary>
    public NfsNode Root { get; }

    /// <summary>Mounts <paramref name="directory"/>: its handle from MNT, its attributes and the largest READ.</summary>
    public static Nfs3Client Mount(NfsEndpoints endpoints, string directory, Action<string> log)
    {
        var ports = endpoints.PortsOf(Mount3.Program, Nfs3.Program);
        var mountPort = ports[0];
        var nfsPort = ports[1];
        var mount = endpoints.Connect(mountPort);
        RpcConnection? nfs = null;
        try
        {
            byte[] handle;
            using (var reply = mount.Call(Mount3.Program, Mount3.Mnt, Mount3.PathArguments(directory), "MOUNT MNT"))
                handle = Mount3.ReadMnt(reply.Results);
            nfs = endpoints.Connect(nfsPort);
            NfsAttributes attributes;
            using (var reply = nfs.Call(Nfs3.Program, Nfs3.GetAttr, Nfs3.HandleArguments(handle), "GETATTR"))
                attributes = Nfs3.ReadGetAttr(reply.Results);
            uint maxRead;
            using (var reply = nfs.Call(Nfs3.Program, Nfs3.FsInfo, Nfs3.HandleArguments(handle), "FSINFO"))
                maxRead = Nfs3.ReadFsInfo(reply.Results);
            return new Nfs3Client(mount, nfs, directory, new NfsNode(handle, attributes), maxRead, log);
        }
        catch
        {
            nfs?.Dispose();
            mount.Dispose();
            throw;
        }
    }

    public NfsNode? Lookup(NfsNode directory, string name)
    {
        try
        {
            using var reply = nfs.Call(Nfs3.Program, Nfs3.Lookup, Nfs3.LookupArguments(directory.Handle, name), "LOOKUP");
            var (handle, attributes) = Nfs3.ReadLookup(reply.Results);
            return new NfsNode(handle, attributes ?? GetAttr(handle));
        }
        catch (NfsStatusException e) when (e.MeansMissing)
        {
            return null;
        }
    }

    public string ReadLink(NfsNode link)
    {
        using var reply = nfs.Call(Nfs3.Program, Nfs3.ReadLink, Nfs3.HandleArguments(link.Handle), "READLINK");
        return Nfs3.ReadReadLink(reply.Results);
    }

    public NfsAttributes GetAttr(NfsNode node) => GetAttr(node.Handle);

    private NfsAttributes GetAttr(byte[] handle)
    {
        using var reply = nfs.Call(Nfs3.Program, Nfs3.GetAttr, Nfs3.HandleArguments(handle), "GETATTR");
        return Nfs3.ReadGetAttr(reply.Results);
    }

    public PendingRead SendRead(NfsNode file, ulong offset, uint count) =>
        new(nfs.Send(Nfs3.Program, Nfs3.Read, Nfs3.ReadArguments(file.Handle, offset, count), "READ"), offset, count);

    public (RpcResult Reply, NfsRead Read) ReceiveRead(PendingRead read)
    {
        var reply = nfs.Receive(read.Xid, Nfs3.Program);
        try
        {
            return (reply, Nfs3.ReadRead(reply.Results, read.Count));
        }
        catch
        {
            reply.Dispose();
            throw;
        }
    }

    public void Forget(PendingRead read) => nfs.Forget(read.Xid);

    /// <summary>UMNT, as mount.nfs does, unless the server has stopped answering: then it would only cost another timeout.</summary>
    public void Dispose()
    {
        try
        {
            if (mount.Healthy && nfs.Healthy)
                mount.Call(Mount3.Program, Mount3.Umnt, Mount3.PathArguments(directory), "MOUNT UMNT").Dispose();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or RpcFailureException)
        {
            log($"NFS: UMNT {directory} at {mount.Server}: {e.Message}");
        }
        nfs.Dispose();
        mount.Dispose();
    }
}

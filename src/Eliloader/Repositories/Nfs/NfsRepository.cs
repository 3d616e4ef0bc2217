using Eliloader.Errors;
using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// An install tree on an NFS export, read in process (nfs-client = builtin): no mount,
/// so nothing is left behind whatever happens to the run, and every call to the server
/// is bounded by download-timeout, where a kernel mount would hang in uninterruptible
/// sleep. Only regular files are read; paths stay inside the export.
/// </summary>
public sealed class NfsRepository : IRepository
{
    private readonly string repository;
    private readonly string url;
    private readonly INfsClient client;
    private readonly NfsNode root;
    private readonly NfsPathResolver resolver;
    private readonly TransferFloor floor;

    private NfsRepository(string repository, string url, INfsClient client, NfsNode root, TransferFloor floor, Action<string> log)
    {
        (this.repository, this.url, this.client, this.root, this.floor) = (repository, url, client, root, floor);
        resolver = new NfsPathResolver(client, log);
    }

    /// <param name="repository">install-repository as the user wrote it.</param>
    /// <param name="url">The same with a trailing "/", the prefix of every path in messages.</param>
    /// <param name="floor">download-min-rate: a server that answers every READ in time, but slowly, fails too.</param>
    public static NfsRepository Open(NfsExport export, string repository, string url, TimeSpan timeout, TransferFloor floor, Action<string> log)
    {
        try
        {
            var (client, directory) = NfsConnector.Connect(export, timeout, log);
            log($"NFS: {export.MountSource} over {client.Version}, {client.Connection}");
            return new NfsRepository(repository, url, client, directory, floor, log);
        }
        catch (Exception e) when (Failure(e))
        {
            log($"NFS: {export.MountSource}: {e.Message}");
            throw new ApiError(ApiError.InvalidSource, $"nfs repo {repository}: {e.Message}");
        }
    }

    /// <summary>The protocol version and the server's address, for diagnose.</summary>
    public string Connection => $"{client.Version}, {client.Connection}";

    public string Describe(string path) => url + path;

    public bool Exists(string path) => Look(path).Exists;

    public Lookup Look(string path)
    {
        var node = Resolve(path);
        return node switch
        {
            null => new Lookup(false, "no such file in the export"),
            { Attributes.Type: NfsFileType.Regular } => new Lookup(true, $"{client.Version} LOOKUP", (long)node.Attributes.Size),
            _ => new Lookup(false, $"a {node.Attributes.Type}, not a regular file"),
        };
    }

    public RemoteFile Open(string path) => OpenIfChanged(path, null);

    /// <summary>A file's version is its change time and size, from a GETATTR made as it is opened.</summary>
    public RemoteFile OpenIfChanged(string path, Validators? known)
    {
        var described = Describe(path);
        var node = Resolve(path) ?? throw new SourceUnavailableException(described, "no such file in the export");
        NfsAttributes attributes;
        try
        {
            attributes = client.GetAttr(node);
        }
        catch (Exception e) when (Failure(e))
        {
            throw new SourceUnavailableException(described, e.Message);
        }
        // A FIFO or a device would never end, or end somewhere unrelated: only regular files.
        if (attributes.Type != NfsFileType.Regular)
            throw new SourceUnavailableException(described, $"a {attributes.Type}, not a regular file");
        var validators = attributes.ChangeTime is { } changed ? new Validators(null, $"ctime {changed}:{attributes.Size}") : null;
        if (validators is not null && validators == known)
            return RemoteFile.Unchanged(described, validators);
        var size = attributes.Size <= long.MaxValue ? (long)attributes.Size : long.MaxValue;
        return new RemoteFile(described, size, floor.Guard(new NfsFileStream(client, node with { Attributes = attributes }, described), described), validators);
    }

    /// <summary>A path's node; a server that fails or goes silent while it is looked up ends the run.</summary>
    private NfsNode? Resolve(string path)
    {
        try
        {
            return resolver.Resolve(root, path, Describe(path));
        }
        catch (Exception e) when (Failure(e))
        {
            throw new ApiError(ApiError.InvalidSource, $"nfs repo {repository}: {e.Message} (looking up {path})");
        }
    }

    private static bool Failure(Exception e) => e is IOException or InvalidDataException or RpcFailureException or NfsStatusException;

    public void Dispose() => client.Dispose();
}

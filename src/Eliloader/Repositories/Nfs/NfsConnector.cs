using System.Net.Sockets;
using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// Reaches an export as mount.nfs does: NFSv4.0 first, then NFSv3, the first that
/// answers wins. v4 gives way to v3 when the server refuses it (no listener, no
/// program or version 4, no such path in its v4 namespace); a server that does not
/// answer at all fails at once, so it costs one download-timeout, not two.
/// </summary>
public static class NfsConnector
{
    /// <returns>The client and the export's directory on it.</returns>
    public static (INfsClient Client, NfsNode Directory) Connect(NfsExport export, TimeSpan timeout, Action<string> log)
    {
        var endpoints = NfsEndpoints.Resolve(export.Server, timeout);
        try
        {
            return Version4(endpoints, export.Directory, log);
        }
        catch (Exception e) when (Refused(e))
        {
            log($"NFS: {export.MountSource} not over NFSv4.0 ({e.Message}); trying NFSv3");
        }
        var v3 = Nfs3Client.Mount(endpoints, export.Directory, log);
        return (v3, v3.Root);
    }

    private static (INfsClient, NfsNode) Version4(NfsEndpoints endpoints, string directory, Action<string> log)
    {
        var v4 = Nfs4Client.Connect(endpoints);
        try
        {
            var resolved = new NfsPathResolver(v4, log).Resolve(v4.Root, directory, $"the export path {directory}", absoluteFromRoot: true);
            if (resolved?.Attributes.Type != NfsFileType.Directory)
                throw new NfsStatusException("LOOKUP of the export path", NfsStatusException.NoEntry);
            return (v4, resolved);
        }
        catch
        {
            v4.Dispose();
            throw;
        }
    }

    /// <summary>Whether v4's failure is a refusal that v3 may not share (as mount.nfs falls back on ECONNREFUSED, EPROTONOSUPPORT and ENOENT).</summary>
    private static bool Refused(Exception e) => e switch
    {
        NfsTimeoutException => false,
        IOException { InnerException: SocketException or EndOfStreamException } => true,
        RpcFailureException { Failure: RpcFailure.ProgramUnavailable or RpcFailure.ProgramMismatch or RpcFailure.RpcMismatch } => true,
        NfsStatusException status => status.MeansMissing || status.Status == NfsStatusException.MinorVersionMismatch,
        _ => false,
    };
}

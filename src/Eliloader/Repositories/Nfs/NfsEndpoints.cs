using System.Net;
using System.Net.Sockets;
using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// Where a server's RPC programs are: its address (the host name resolved once), the
/// credential every call carries (AUTH_SYS as root, with this host's name), and the
/// ports the portmapper names.
/// </summary>
public sealed class NfsEndpoints(string host, IPAddress address, AuthSys credential, TimeSpan timeout, bool reservedPort)
{
    public string Host { get; } = host;

    public TimeSpan Timeout { get; } = timeout;

    /// <param name="host">A name, an IPv4 address or a bracketed IPv6 address, as the repository URL gives it.</param>
    public static NfsEndpoints Resolve(string host, TimeSpan timeout)
    {
        var bare = host.Trim('[', ']');
        IPAddress address;
        if (!IPAddress.TryParse(bare, out address!))
        {
            using var lookup = new CancellationTokenSource(timeout);
            try
            {
                address = Dns.GetHostAddressesAsync(bare, lookup.Token).GetAwaiter().GetResult()
                    .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
            }
            catch (OperationCanceledException)
            {
                throw new NfsTimeoutException($"the name {bare} did not resolve within {timeout.TotalSeconds:0} seconds");
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException)
            {
                throw new IOException($"the name {bare} does not resolve: {e.Message}");
            }
        }
        // Root is uid 0 and gid 0, as mount.nfs run by root is; the machine name is what AUTH_SYS servers log.
        var credential = new AuthSys(Environment.MachineName, 0, 0, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return new NfsEndpoints(host, address, credential, timeout, reservedPort: Environment.IsPrivilegedProcess);
    }

    public RpcConnection Connect(int port) => RpcConnection.Open(address, port, Host, reservedPort, credential, Timeout);

    /// <summary>The TCP ports of <paramref name="programs"/>, from the portmapper; one not registered is ProgramUnavailable.</summary>
    public int[] PortsOf(params RpcProgram[] programs)
    {
        using var portmapper = RpcConnection.Open(address, Portmapper.Port, Host, reservedPort: false, credential, Timeout);
        return programs.Select(program =>
        {
            using var reply = portmapper.Call(Portmapper.Program, Portmapper.GetPort, Portmapper.GetPortArguments(program), "portmapper GETPORT");
            return Portmapper.ReadPort(reply.Results)
                ?? throw new RpcFailureException(RpcFailure.ProgramUnavailable, $"the portmapper of {Host} knows no {program} over TCP");
        }).ToArray();
    }
}

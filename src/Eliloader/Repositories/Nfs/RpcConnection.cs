using System.Net;
using System.Net.Sockets;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// One TCP connection to an RPC server. Calls may be sent ahead of their replies (READs
/// are pipelined); replies are matched to calls by transaction id, whatever order they
/// come in, and each must arrive within the timeout of its call being sent. After a
/// timeout or a broken connection every further call fails at once: a server that went
/// silent costs one timeout, not one per call.
/// </summary>
public sealed class RpcConnection : IDisposable
{
    /// <summary>The longest reply taken: a READ of 1 MiB and its headers, with room to spare.</summary>
    public const int MaxReply = (1 << 20) + 4096;

    private readonly Socket socket;
    private readonly SocketReader input;
    private readonly AuthSys credential;
    private readonly TimeSpan timeout;
    private readonly Dictionary<uint, (DateTime Deadline, string What)> pending = [];
    private readonly Dictionary<uint, PooledRecord> arrived = [];
    private uint nextXid = (uint)Random.Shared.Next();
    private string? broken;

    private RpcConnection(Socket socket, string server, AuthSys credential, TimeSpan timeout)
    {
        this.socket = socket;
        this.credential = credential;
        this.timeout = timeout;
        Server = server;
        input = new SocketReader(socket);
    }

    /// <summary>The server as the repository names it (host and port), for messages.</summary>
    public string Server { get; }

    public int LocalPort => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <param name="reservedPort">Connect from a port below 1024, as servers that only trust root's ports require.</param>
    public static RpcConnection Open(IPAddress address, int port, string host, bool reservedPort, AuthSys credential, TimeSpan timeout)
    {
        var server = $"{host} port {port}";
        var socket = ReservedPort.Connect(new IPEndPoint(address, port), reservedPort, timeout, server);
        socket.NoDelay = true;
        socket.SendTimeout = (int)timeout.TotalMilliseconds;
        return new RpcConnection(socket, server, credential, timeout);
    }

    /// <summary>Sends a call without waiting for its reply; the transaction id names it to <see cref="Receive"/>.</summary>
    public uint Send(RpcProgram program, uint procedure, ReadOnlySpan<byte> arguments, string what)
    {
        ThrowIfBroken();
        var xid = nextXid++;
        var record = RpcCall.Record(xid, program, procedure, credential, arguments);
        pending[xid] = (DateTime.UtcNow + timeout, what);
        try
        {
            socket.Send(record);
        }
        catch (SocketException e)
        {
            throw Break(e.SocketErrorCode == SocketError.TimedOut
                ? new NfsTimeoutException($"{Server} took no {what} call for {timeout.TotalSeconds:0} seconds")
                : new IOException($"{Server}: {e.Message}", e));
        }
        return xid;
    }

    /// <summary>The reply to a call sent earlier, checked up to its results; dispose it to give its buffer back.</summary>
    public RpcResult Receive(uint xid, RpcProgram program)
    {
        ThrowIfBroken();
        var (deadline, what) = pending[xid];
        while (!arrived.ContainsKey(xid))
        {
            PooledRecord record;
            try
            {
                record = input.Read(deadline, MaxReply);
            }
            catch (TimeoutException)
            {
                throw Break(new NfsTimeoutException($"{Server} did not answer {what} within {timeout.TotalSeconds:0} seconds"));
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
            {
                throw Break(e is InvalidDataException ? e : new IOException($"{Server}: {e.Message}", e));
            }
            var id = RpcReply.XidOf(record.Memory.Span);
            // A reply to a call nobody waits for any more (a READ of a file closed early) is dropped.
            if (pending.ContainsKey(id) && arrived.TryAdd(id, record))
                continue;
            record.Dispose();
        }
        pending.Remove(xid);
        arrived.Remove(xid, out var reply);
        try
        {
            return new RpcResult(reply!, RpcReply.Parse(reply!.Memory, program).Results);
        }
        catch
        {
            reply!.Dispose();
            throw;
        }
    }

    public RpcResult Call(RpcProgram program, uint procedure, ReadOnlySpan<byte> arguments, string what) =>
        Receive(Send(program, procedure, arguments, what), program);

    /// <summary>Gives up on a call's reply: it is dropped when it comes.</summary>
    public void Forget(uint xid)
    {
        pending.Remove(xid);
        if (arrived.Remove(xid, out var record))
            record.Dispose();
    }

    /// <summary>Whether the server has answered every call so far; a broken connection is not worth a courtesy call.</summary>
    public bool Healthy => broken is null;

    private void ThrowIfBroken()
    {
        if (broken is not null)
            throw new IOException(broken);
    }

    private Exception Break(Exception reason)
    {
        broken = reason.Message;
        return reason;
    }

    public void Dispose()
    {
        foreach (var record in arrived.Values)
            record.Dispose();
        arrived.Clear();
        socket.Dispose();
    }
}

/// <summary>A reply's results, in the pooled buffer they were received into.</summary>
public sealed class RpcResult(PooledRecord record, XdrReader results) : IDisposable
{
    public XdrReader Results { get; } = results;

    public void Dispose() => record.Dispose();
}

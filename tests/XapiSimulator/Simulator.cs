using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace XapiSimulator;

/// <summary>
/// XAPI's local XML-RPC socket and xenstored's socket, both real Unix sockets, over
/// one simulated host. Every XenAPI call is recorded; faults are injected on request.
/// </summary>
public sealed class Simulator : IDisposable
{
    private readonly SimulatorState state;
    private readonly XenApiHandler handler;
    private readonly string? stateFile;
    private readonly string? callsFile;
    private readonly List<RecordedCall> calls = [];
    private readonly Lock gate = new();
    private readonly List<Socket> listeners = [];
    private readonly CancellationTokenSource stopping = new();

    public Simulator(SimulatorState state, string xapiSocket, string xenstoreSocket, string? stateFile = null, string? callsFile = null)
    {
        this.state = state;
        this.stateFile = stateFile;
        this.callsFile = callsFile;
        handler = new XenApiHandler(state);
        Listen(xapiSocket, ServeXapi);
        Listen(xenstoreSocket, ServeXenstore);
    }

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (gate)
                return calls.ToList();
        }
    }

    public int OpenSessions
    {
        get
        {
            lock (gate)
                return handler.OpenSessions;
        }
    }

    /// <summary>Reads the state under the simulator's lock.</summary>
    public T Inspect<T>(Func<SimulatorState, T> read)
    {
        lock (gate)
            return read(state);
    }

    private static bool Mutates(string method) =>
        method.Split('.').Last() is var call && (call.StartsWith("set_") || call.StartsWith("add_to_") || call.StartsWith("remove_from_"));

    private void Listen(string path, Func<NetworkStream, Task> serve) => listeners.Add(UnixSocketServer.Listen(path, serve, stopping.Token));

    private async Task ServeXapi(NetworkStream stream)
    {
        while (await ReadRequest(stream) is { } body)
        {
            var (method, parameters) = XmlRpcCodec.ParseCall(body);
            string reply;
            Fault? fault;
            lock (gate)
            {
                var call = new RecordedCall(method, parameters.Select(XmlRpcCodec.Render).ToList());
                calls.Add(call);
                if (callsFile is not null)
                    File.AppendAllText(callsFile, JsonSerializer.Serialize(call) + "\n");
                fault = state.Faults.FirstOrDefault(f => f.Method == method && f.Times > 0);
                if (fault is not null)
                    fault.Times--;
                if (fault is { Drop: true })
                    return;
                if (fault?.Raw is { } raw)
                {
                    reply = raw;
                }
                else if (fault?.Error is { } error)
                {
                    reply = XmlRpcCodec.Failure(error, state.StringTags);
                }
                else
                {
                    try
                    {
                        reply = XmlRpcCodec.Success(handler.Handle(method, parameters), state.StringTags);
                    }
                    catch (XenApiError e)
                    {
                        reply = XmlRpcCodec.Failure(e.Description, state.StringTags);
                    }
                    // Only calls that change the host are written out, as XAPI's database
                    // writes only changes; a write per getter would slow every boot measured.
                    if (stateFile is not null && Mutates(method))
                        state.Save(stateFile);
                }
            }
            if (fault?.Raw is not null)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(reply));
                return;
            }
            var payload = Encoding.UTF8.GetBytes(reply);
            var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {payload.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(payload);
        }
    }

    /// <summary>Reads one HTTP request; null at the end of the connection.</summary>
    private static async Task<byte[]?> ReadRequest(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        if (!lines[0].StartsWith("POST / HTTP/1.", StringComparison.Ordinal))
            throw new IOException($"unexpected request line {lines[0]}");
        var length = lines.Select(l => l.Split(':', 2))
            .Where(kv => kv.Length == 2 && kv[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(kv => int.Parse(kv[1].Trim()))
            .Single();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return body;
    }

    private async Task ServeXenstore(NetworkStream stream)
    {
        var header = new byte[16];
        while (true)
        {
            try
            {
                await stream.ReadExactlyAsync(header);
            }
            catch (EndOfStreamException)
            {
                return;
            }
            var type = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload);
            var (replyType, reply) = AnswerXenstore(type, payload);
            BinaryPrimitives.WriteUInt32LittleEndian(header, replyType);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)reply.Length);
            await stream.WriteAsync(header);
            await stream.WriteAsync(reply);
        }
    }

    private (uint Type, byte[] Payload) AnswerXenstore(uint type, byte[] payload)
    {
        const uint directory = 1, read = 2, error = 16;
        if (payload.Length == 0 || payload[^1] != 0)
            return (error, Encoding.ASCII.GetBytes("EINVAL\0"));
        var path = Encoding.UTF8.GetString(payload, 0, payload.Length - 1).TrimEnd('/');
        lock (gate)
        {
            switch (type)
            {
                case read:
                    return state.Xenstore.TryGetValue(path, out var value)
                        ? (read, Encoding.UTF8.GetBytes(value))
                        : (error, Encoding.ASCII.GetBytes("ENOENT\0"));
                case directory:
                    var prefix = path + "/";
                    var children = state.Xenstore.Keys
                        .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
                        .Select(k => k[prefix.Length..].Split('/')[0])
                        .Distinct()
                        .ToList();
                    if (children.Count == 0 && !state.Xenstore.ContainsKey(path))
                        return (error, Encoding.ASCII.GetBytes("ENOENT\0"));
                    return (directory, Encoding.UTF8.GetBytes(string.Concat(children.Select(c => c + "\0"))));
                default:
                    return (error, Encoding.ASCII.GetBytes("EINVAL\0"));
            }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        foreach (var listener in listeners)
            listener.Dispose();
    }
}

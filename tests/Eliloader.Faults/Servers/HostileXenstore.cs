using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using XapiSimulator;

namespace Eliloader.Faults.Servers;

/// <summary>A request to xenstored as it arrived: message type, request id and path.</summary>
public sealed record XenstoreRequest(uint Type, uint Id, string Path, NetworkStream Stream, CancellationToken Stopping)
{
    /// <summary>A well-formed reply header with this type, id and payload length, then the payload.</summary>
    public Task Reply(uint type, uint id, byte[] payload, uint? statedLength = null)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, type);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), id);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), statedLength ?? (uint)payload.Length);
        return Stream.WriteAsync(header.Concat(payload).ToArray()).AsTask();
    }

    public Task Reply(string value) => Reply(Type, Id, Encoding.ASCII.GetBytes(value));
}

/// <summary>
/// xenstored's socket answering as the case scripts: garbage headers, wrong ids, errors,
/// silence. Each request is handed to the script; returning false closes the connection.
/// </summary>
public sealed class HostileXenstore : IDisposable
{
    public const uint Directory = 1;
    public const uint Read = 2;
    public const uint Error = 16;

    private readonly Socket listener;
    private readonly Func<XenstoreRequest, Task<bool>> answer;
    private readonly CancellationTokenSource stopping = new();

    public HostileXenstore(string path, Func<XenstoreRequest, Task<bool>> answer)
    {
        this.answer = answer;
        listener = UnixSocketServer.Listen(path, Serve, stopping.Token);
    }

    private async Task Serve(NetworkStream stream)
    {
        var header = new byte[16];
        while (true)
        {
            await stream.ReadExactlyAsync(header, stopping.Token);
            var payload = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12))];
            await stream.ReadExactlyAsync(payload, stopping.Token);
            var request = new XenstoreRequest(BinaryPrimitives.ReadUInt32LittleEndian(header), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)),
                Encoding.UTF8.GetString(payload).TrimEnd('\0'), stream, stopping.Token);
            if (!await answer(request))
                return;
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Dispose();
    }
}

using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Eliloader.Xen.Xenstore;

/// <summary>
/// READ and DIRECTORY over xenstored's Unix socket: a 16-byte little-endian header
/// (type, request id, transaction id, payload length) and a payload of at most 4096 bytes.
/// A missing node answers null, not an error.
/// </summary>
public sealed class XenstoreClient : IDisposable
{
    private const uint Directory = 1;
    private const uint Read = 2;
    private const uint Error = 16;
    private const int MaxPayload = 4096;

    private readonly Socket socket;
    private readonly NetworkStream stream;
    private uint nextRequest = 1;

    public XenstoreClient(IReadOnlyList<string> socketPaths, TimeSpan timeout)
    {
        socket = UnixSocketPaths.ConnectFirst(socketPaths, SocketType.Stream, "xenstored");
        socket.ReceiveTimeout = socket.SendTimeout = (int)timeout.TotalMilliseconds;
        stream = new NetworkStream(socket, ownsSocket: true);
    }

    public string? ReadValue(string path) =>
        Request(Read, path) is { } payload ? Encoding.UTF8.GetString(payload) : null;

    public IReadOnlyList<string>? List(string path) =>
        Request(Directory, path) is { } payload
            ? Encoding.UTF8.GetString(payload).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            : null;

    private byte[]? Request(uint type, string path)
    {
        var body = Encoding.UTF8.GetBytes(path + "\0");
        if (body.Length > MaxPayload)
            throw new ArgumentException($"xenstore path too long: {path}");
        var request = nextRequest++;
        var header = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0), type);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), request);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)body.Length);
        stream.Write([.. header, .. body]);

        stream.ReadExactly(header);
        var replyType = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0));
        var replyId = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        if (length > MaxPayload)
            throw new InvalidDataException($"xenstore answered {path} with {length} bytes, more than {MaxPayload}");
        var payload = new byte[length];
        stream.ReadExactly(payload);
        if (replyId != request)
            throw new InvalidDataException($"xenstore answered request {replyId} while {request} was asked");
        if (replyType == Error)
        {
            var errno = Encoding.ASCII.GetString(payload).TrimEnd('\0');
            return errno == "ENOENT" ? null : throw new IOException($"xenstore {path}: {errno}");
        }
        if (replyType != type)
            throw new InvalidDataException($"xenstore answered {path} with message type {replyType}");
        return payload;
    }

    public void Dispose() => stream.Dispose();
}

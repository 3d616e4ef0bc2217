using System.Net.Sockets;
using Eliloader.Formats;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// Reads whole records from a socket, each before a deadline: a server that stops
/// sending in the middle of a reply times out as surely as one that never starts.
/// </summary>
internal sealed class SocketReader(Socket socket) : ForwardReadStream
{
    private DateTime deadline;

    public PooledRecord Read(DateTime until, int maxLength)
    {
        deadline = until;
        return RecordMarking.Read(this, maxLength);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var left = deadline - DateTime.UtcNow;
        if (left <= TimeSpan.Zero || !socket.Poll(left, SelectMode.SelectRead))
            throw new TimeoutException();
        return socket.Receive(buffer);
    }
}

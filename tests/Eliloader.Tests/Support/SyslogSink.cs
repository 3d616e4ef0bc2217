using System.Net.Sockets;
using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>A datagram socket standing in for /dev/log; collects what eliloader logs.</summary>
public sealed class SyslogSink : IDisposable
{
    private readonly Socket socket;

    public string Path { get; }

    public SyslogSink(string path)
    {
        Path = path;
        socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveBufferSize = 4 << 20;
    }

    public List<string> Drain()
    {
        var messages = new List<string>();
        var buffer = new byte[65536];
        while (socket.Available > 0)
        {
            var read = socket.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return messages;
    }

    public void Dispose() => socket.Dispose();
}

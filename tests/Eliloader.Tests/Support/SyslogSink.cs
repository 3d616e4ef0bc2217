using System.Net.Sockets;
using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>
/// A datagram socket standing in for /dev/log; a reader thread collects what
/// eliloader logs, as a syslog daemon would, so the queue never fills.
/// </summary>
public sealed class SyslogSink : IDisposable
{
    private readonly Socket socket;
    private readonly List<string> messages = [];

    public string Path { get; }

    public SyslogSink(string path)
    {
        Path = path;
        socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        new Thread(Receive) { IsBackground = true }.Start();
    }

    private void Receive()
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var read = socket.Receive(buffer);
                lock (messages)
                    messages.Add(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed at the end of the test.
        }
    }

    /// <summary>Everything received so far (the process that logged has exited, so all of it has arrived).</summary>
    public List<string> Drain()
    {
        Thread.Sleep(50);
        lock (messages)
            return messages.ToList();
    }

    public void Dispose() => socket.Dispose();
}

using System.Net.Sockets;
using System.Text;

namespace Eliloader.Repositories;

/// <summary>One FTP reply: its three-digit code and its text (all lines of a multi-line reply).</summary>
public sealed record FtpReply(int Code, string Text)
{
    public bool Positive => Code is >= 100 and < 400;
}

/// <summary>
/// The control connection of an FTP session: commands out, replies in, each line and
/// reply bounded, every read under the stall timeout.
/// </summary>
public sealed class FtpControl : IDisposable
{
    private const int MaxLine = 4096;
    private const int MaxReplyLines = 200;
    private readonly TcpClient client;
    private readonly NetworkStream stream;

    public System.Net.IPAddress RemoteAddress { get; }

    public FtpControl(string host, int port, TimeSpan timeout)
    {
        client = new TcpClient { ReceiveTimeout = (int)timeout.TotalMilliseconds, SendTimeout = (int)timeout.TotalMilliseconds };
        using (var connect = new CancellationTokenSource(timeout))
            client.ConnectAsync(host, port, connect.Token).AsTask().GetAwaiter().GetResult();
        stream = client.GetStream();
        RemoteAddress = ((System.Net.IPEndPoint)client.Client.RemoteEndPoint!).Address;
    }

    public FtpReply Send(string command)
    {
        if (command.Any(c => c is '\r' or '\n'))
            throw new IOException("an FTP command cannot hold a line break");
        stream.Write(Encoding.UTF8.GetBytes(command + "\r\n"));
        return Read();
    }

    public FtpReply Read()
    {
        var first = ReadLine();
        if (first.Length < 3 || !int.TryParse(first.AsSpan(0, 3), out var code))
            throw new IOException($"the FTP server sent '{first}' where a reply was due");
        var text = new StringBuilder(first);
        if (first.Length > 3 && first[3] == '-')
        {
            for (var lines = 1; ; lines++)
            {
                if (lines > MaxReplyLines)
                    throw new IOException($"the FTP server's reply {code} is longer than {MaxReplyLines} lines");
                var line = ReadLine();
                text.Append('\n').Append(line);
                if (line.Length > 3 && line.StartsWith(first[..3], StringComparison.Ordinal) && line[3] == ' ')
                    break;
            }
        }
        return new FtpReply(code, text.ToString());
    }

    private string ReadLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            var next = stream.ReadByte();
            if (next < 0)
                throw new IOException("the FTP server closed the control connection");
            if (next == '\n')
                return line.ToString().TrimEnd('\r');
            if (line.Length == MaxLine)
                throw new IOException($"the FTP server sent a line longer than {MaxLine} bytes");
            line.Append((char)next);
        }
    }

    public void Dispose() => client.Dispose();
}

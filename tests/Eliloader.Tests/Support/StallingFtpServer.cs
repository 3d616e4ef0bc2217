using System.Net;
using System.Net.Sockets;

namespace Eliloader.Tests.Support;

/// <summary>
/// An FTP server that logs anyone in, says every file has 100000 bytes, and on RETR
/// sends ten bytes and then nothing. It has no checksum lists (…SUMS, .treeinfo), so
/// the stall meets the boot files themselves.
/// </summary>
public sealed class StallingFtpServer : LoopbackServer
{
    public string Url => $"ftp://127.0.0.1:{Port}/";

    protected override async Task Serve(NetworkStream stream)
    {
        using var reader = new StreamReader(stream);
        await Write(stream, "220 stalling server\r\n");
        TcpListener? passive = null;
        while (await reader.ReadLineAsync(Stopping.Token) is { } command)
        {
            var verb = command.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "USER":
                    await Write(stream, "331 password please\r\n");
                    break;
                case "PASS":
                    await Write(stream, "230 in\r\n");
                    break;
                case "TYPE":
                    await Write(stream, "200 binary\r\n");
                    break;
                case "SIZE" when command.EndsWith("SUMS", StringComparison.Ordinal) || command.EndsWith("treeinfo", StringComparison.Ordinal):
                    await Write(stream, "550 no such file\r\n");
                    break;
                case "SIZE":
                    await Write(stream, "213 100000\r\n");
                    break;
                case "EPSV":
                    passive = new TcpListener(IPAddress.Loopback, 0);
                    passive.Start();
                    await Write(stream, $"229 Entering Extended Passive Mode (|||{((IPEndPoint)passive.LocalEndpoint).Port}|)\r\n");
                    break;
                case "RETR" when passive is not null:
                    using (var data = await passive.AcceptTcpClientAsync(Stopping.Token))
                    {
                        await Write(stream, "150 here it comes\r\n");
                        await data.GetStream().WriteAsync(new byte[10], Stopping.Token);
                        await Task.Delay(TimeSpan.FromSeconds(60), Stopping.Token);
                    }
                    break;
                default:
                    await Write(stream, "502 not here\r\n");
                    break;
            }
        }
        passive?.Stop();
    }
}

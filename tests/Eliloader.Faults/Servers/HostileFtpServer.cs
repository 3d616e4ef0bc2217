using System.Net;
using System.Net.Sockets;
using System.Text;
using Eliloader.Tests.Support;

namespace Eliloader.Faults.Servers;

/// <summary>The control connection of one client of a <see cref="HostileFtpServer"/>, with the ways of answering it.</summary>
public sealed class FtpClientSession(NetworkStream control, CancellationToken stopping)
{
    private TcpListener? passive;

    public CancellationToken Stopping { get; } = stopping;

    public Task Reply(string text) => control.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"), Stopping).AsTask();

    public Task Send(byte[] bytes) => control.WriteAsync(bytes, Stopping).AsTask();

    /// <summary>Opens a passive listener on 127.0.0.1 and returns its port.</summary>
    public int Listen()
    {
        passive?.Stop();
        passive = new TcpListener(IPAddress.Loopback, 0);
        passive.Start();
        return ((IPEndPoint)passive.LocalEndpoint).Port;
    }

    /// <summary>Accepts the client's data connection on the passive listener.</summary>
    public Task<TcpClient> AcceptData() =>
        (passive ?? throw new IOException("RETR before EPSV")).AcceptTcpClientAsync(Stopping).AsTask();

    public void Close() => passive?.Stop();
}

/// <summary>
/// An FTP server on 127.0.0.1 serving a kernel ("vmlinuz") and a ramdisk ("initrd")
/// as a plain server would (anonymous login, SIZE, EPSV, RETR, no MDTM so nothing is
/// cached), except for the commands a case answers itself. The greeting and the data
/// sent on RETR are the case's to change too.
/// </summary>
public sealed class HostileFtpServer : LoopbackServer
{
    private readonly Dictionary<string, Func<FtpClientSession, string, Task>> answers;

    /// <param name="answers">Replies the case gives instead, by command verb (USER, SIZE, RETR…); the argument follows.</param>
    public HostileFtpServer(Dictionary<string, Func<FtpClientSession, string, Task>>? answers = null) =>
        this.answers = answers ?? [];

    public string Url => $"ftp://127.0.0.1:{Port}/";

    public Func<FtpClientSession, Task> Greeting { get; init; } = session => session.Reply("220 hostile ftp");

    /// <summary>What RETR sends on the data connection for a file; the file's bytes by default.</summary>
    public Func<Stream, byte[], CancellationToken, Task> Data { get; init; } = (data, file, stopping) => data.WriteAsync(file, stopping).AsTask();

    public static byte[]? File(string path) => path.TrimStart('/') switch
    {
        "vmlinuz" => HostileHttpServer.Kernel,
        "initrd" => HostileHttpServer.Ramdisk,
        _ => null,
    };

    protected override async Task Serve(NetworkStream stream)
    {
        var session = new FtpClientSession(stream, Stopping.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            await Greeting(session);
            while (await reader.ReadLineAsync(Stopping.Token) is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                await (answers.TryGetValue(verb, out var answer) ? answer(session, argument) : Plain(session, verb, argument));
                if (verb == "QUIT")
                    return;
            }
        }
        finally
        {
            session.Close();
        }
    }

    private async Task Plain(FtpClientSession session, string verb, string argument)
    {
        switch (verb)
        {
            case "USER":
                await session.Reply("331 password please");
                break;
            case "PASS":
                await session.Reply("230 logged in");
                break;
            case "TYPE":
                await session.Reply("200 binary");
                break;
            case "SIZE":
                await session.Reply(File(argument) is { } file ? $"213 {file.Length}" : "550 no such file");
                break;
            case "EPSV":
                await session.Reply($"229 Entering Extended Passive Mode (|||{session.Listen()}|)");
                break;
            case "RETR" when File(argument) is { } content:
                using (var data = await session.AcceptData())
                {
                    await session.Reply("150 here it comes");
                    await Data(data.GetStream(), content, Stopping.Token);
                }
                await session.Reply("226 done");
                break;
            case "QUIT":
                await session.Reply("221 bye");
                break;
            default:
                await session.Reply("502 not here");
                break;
        }
    }
}

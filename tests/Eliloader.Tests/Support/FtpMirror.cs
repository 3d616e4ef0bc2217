using System.Diagnostics;
using System.Net.Sockets;

namespace Eliloader.Tests.Support;

/// <summary>
/// A real FTP server (Debian's python3-pyftpdlib) on 127.0.0.1, anonymous and read-only,
/// serving the fixture mirrors; with a rate, pyftpdlib's own throttle sends no faster.
/// </summary>
public sealed class FtpMirror : IDisposable
{
    private readonly Process process;

    public int Port { get; }
    public string Url => $"ftp://127.0.0.1:{Port}/";

    /// <summary>The server's throttled handler in a few lines of Python, as its command line offers no throttle.</summary>
    private const string ThrottledServer = """
        import sys
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
        from pyftpdlib.servers import FTPServer
        ThrottledDTPHandler.write_limit = int(sys.argv[3])
        FTPHandler.dtp_handler = ThrottledDTPHandler
        FTPHandler.authorizer = DummyAuthorizer()
        FTPHandler.authorizer.add_anonymous(sys.argv[2])
        FTPServer(("127.0.0.1", int(sys.argv[1])), FTPHandler).serve_forever()
        """;

    public FtpMirror() : this(RepoPaths.Mirrors, null)
    {
    }

    /// <summary>A server that sends at most <paramref name="bytesPerSecond"/>.</summary>
    public static FtpMirror Throttled(int bytesPerSecond) => new(RepoPaths.Mirrors, bytesPerSecond);

    private FtpMirror(string root, int? bytesPerSecond)
    {
        Port = FreePort.Next();
        string[] arguments = bytesPerSecond is { } rate
            ? ["-c", ThrottledServer, Port.ToString(), root, rate.ToString()]
            : ["-m", "pyftpdlib", "-i", "127.0.0.1", "-p", Port.ToString(), "-d", root];
        process = Process.Start(new ProcessStartInfo("/usr/bin/python3", arguments)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>A second server for a tree a test builds.</summary>
    public static FtpMirror Serving(string root) => new(root, null);

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
    }
}

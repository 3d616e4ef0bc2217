using System.Diagnostics;
using System.Net.Sockets;

namespace Eliloader.Tests.Support;

/// <summary>A real FTP server (Debian's python3-pyftpdlib) on 127.0.0.1, anonymous and read-only, serving the fixture mirrors.</summary>
public sealed class FtpMirror : IDisposable
{
    private readonly Process process;

    public int Port { get; }
    public string Url => $"ftp://127.0.0.1:{Port}/";

    public FtpMirror() : this(RepoPaths.Mirrors)
    {
    }

    private FtpMirror(string root)
    {
        Port = FreePort.Next();
        process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-m", "pyftpdlib", "-i", "127.0.0.1", "-p", Port.ToString(), "-d", root])
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
    public static FtpMirror Serving(string root) => new(root);

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

using System.Diagnostics;
using System.Net.Sockets;

namespace Eliloader.Tests.Support;

/// <summary>
/// nginx on 127.0.0.1 serving the recorded fixture mirrors, and the real Debian 12
/// tree under /debian12/, over http and https (with a test CA). One per test run.
/// </summary>
public sealed class NginxMirror : IDisposable
{
    private readonly Process process;
    private readonly string directory;

    public int HttpPort { get; }
    public int HttpsPort { get; }
    public TestCertificates Certificates { get; }
    public string AccessLog { get; }

    public string HttpUrl => $"http://127.0.0.1:{HttpPort}/";
    public string HttpsUrl => $"https://localhost:{HttpsPort}/";

    public NginxMirror()
    {
        directory = Path.Combine(Path.GetTempPath(), "eliloader-nginx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        Directory.CreateDirectory(Path.Combine(directory, "scratch"));
        Certificates = new TestCertificates(Path.Combine(directory, "tls"));
        HttpPort = FreePort.Next();
        HttpsPort = FreePort.Next();
        AccessLog = Path.Combine(directory, "access.log");
        var locations = $$"""
                root {{RepoPaths.Mirrors}};
                location /debian12/ { alias {{RepoPaths.Debian12Mirror}}/; }
                location /scratch/ { alias {{directory}}/scratch/; }
            """;
        var config = $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            daemon off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log;
            events { worker_connections 512; }
            http {
                access_log {{AccessLog}};
                client_body_temp_path {{directory}}/tmp;
                proxy_temp_path {{directory}}/tmp;
                fastcgi_temp_path {{directory}}/tmp;
                uwsgi_temp_path {{directory}}/tmp;
                scgi_temp_path {{directory}}/tmp;
                default_type application/octet-stream;
                sendfile on;
                server {
                    listen 127.0.0.1:{{HttpPort}};
                    {{locations}}
                }
                server {
                    listen 127.0.0.1:{{HttpsPort}} ssl;
                    ssl_certificate {{Certificates.ServerCertificate}};
                    ssl_certificate_key {{Certificates.ServerKey}};
                    {{locations}}
                }
            }
            """;
        var configPath = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(configPath, config);
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        process = Process.Start(new ProcessStartInfo(nginx, ["-c", configPath, "-p", directory, "-e", Path.Combine(directory, "error.log")])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        WaitForPort(HttpPort);
        WaitForPort(HttpsPort);
    }

    /// <summary>A new empty directory served under /scratch/, for trees a test builds (hostile ones included).</summary>
    public (string Directory, string Url) ScratchTree()
    {
        var name = Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(directory, "scratch", name);
        Directory.CreateDirectory(path);
        return (path, $"{HttpUrl}scratch/{name}/");
    }

    private void WaitForPort(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException("nginx exited: " + File.ReadAllText(Path.Combine(directory, "error.log")));
            try
            {
                using var client = new TcpClient("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"nginx did not listen on {port}");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class MirrorCollection : ICollectionFixture<NginxMirror>, ICollectionFixture<FtpMirror>
{
    public const string Name = "mirror";
}

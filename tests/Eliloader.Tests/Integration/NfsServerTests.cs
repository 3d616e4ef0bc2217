using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// The built-in NFS client against servers set up one way for one test: v3 only, v4
/// only or both; reserved ports required; and servers that stop answering, die, or never
/// answer, which must fail as INVALID_SOURCE within download-timeout (plus 2 s) and
/// leave nothing behind.
/// </summary>
[Collection(NfsCollection.Name)]
public sealed class NfsServerTests : IDisposable
{
    private const int Timeout = 2;
    private readonly Scenario host = NfsScenario.Create();
    private readonly string export = Path.Combine("/tmp", "eliloader-nfs-export-" + Guid.NewGuid().ToString("N")[..8]);

    public NfsServerTests()
    {
        File.WriteAllText(Path.Combine(export, "isolinux/vmlinuz").EnsureDirectory(), "kernel");
        File.WriteAllText(Path.Combine(export, "isolinux/initrd.img"), "initrd");
    }

    [Theory]
    [InlineData("3", "NFSv3", 3)]
    [InlineData("4", "NFSv4.0", 4)]
    [InlineData("3, 4", "NFSv4.0", 4)]
    public void Each_protocol_set_is_read_with_the_version_it_offers(string protocols, string version, int listedWith)
    {
        using var server = new GaneshaServer([export], protocols);
        Assert.Contains("initrd.img", server.List(export + "/isolinux", listedWith));
        var result = NfsScenario.Install(host, $"nfs:127.0.0.1:{export}");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        Assert.Equal("initrd", File.ReadAllText(line.Ramdisk!));
        var log = host.Syslog.Drain();
        Assert.Contains(log, m => m.Contains($"NFS: 127.0.0.1:{export} over {version}"));
        Assert.Equal(protocols == "3", log.Any(m => m.Contains("not over NFSv4.0")));
        NfsScenario.AssertNothingLeft(host, failed: false);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("4")]
    public void A_server_that_requires_reserved_ports_is_read_from_one(string protocols)
    {
        Assert.True(Environment.IsPrivilegedProcess, "the NFS tests run as root, as eliloader does in dom0");
        using var server = new GaneshaServer([export], protocols, privilegedPort: true);
        var result = NfsScenario.Install(host, $"nfs:127.0.0.1:{export}");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var connected = Assert.Single(host.Syslog.Drain(), m => m.Contains($"NFS: 127.0.0.1:{export} over"));
        var port = int.Parse(connected[(connected.LastIndexOf("from port ", StringComparison.Ordinal) + "from port ".Length)..].Split(' ', ')')[0]);
        Assert.InRange(port, 1, 1023);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_server_that_stops_or_dies_mid_ramdisk_fails_within_the_timeout(bool killed)
    {
        NfsExports.WriteRandom(Path.Combine(export, "isolinux/initrd.img"), 200, seed: 5);
        NfsScenario.RaiseRamdiskLimit(host);
        host.Config["download-timeout"] = Timeout.ToString();
        using var server = new GaneshaServer([export]);
        host.AddVm(new() { ["install-distro"] = "rhlike", ["install-repository"] = $"nfs:127.0.0.1:{export}" });
        using var running = new RunningEliloader(host, "-q", "--vm", Scenario.VmUuid, "");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!host.BootFiles().Any(f => Path.GetFileName(f).StartsWith("ramdisk-", StringComparison.Ordinal) && new FileInfo(f).Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the ramdisk never started to arrive");
            Thread.Sleep(2);
        }
        if (killed)
            server.Kill();
        else
            server.Freeze();
        var stopped = Stopwatch.StartNew();
        var result = running.Finish(TimeSpan.FromSeconds(30));
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(Timeout + 2), $"took {stopped.Elapsed.TotalSeconds:0.0} s after the server {(killed ? "died" : "stopped")}");
        Assert.StartsWith($"RuntimeError: INVALID_SOURCE\nDownload of 'nfs:127.0.0.1:{export}/isolinux/initrd.img' failed: 127.0.0.1 port 2049", result.Stderr);
        if (!killed)
            Assert.Contains($"did not answer READ within {Timeout} seconds", result.Stderr);
        NfsScenario.AssertNothingLeft(host);
    }

    [Fact]
    public void A_server_that_never_answers_on_2049_fails_within_the_timeout()
    {
        host.Config["download-timeout"] = Timeout.ToString();
        using var hostLock = new NfsHostLock();
        // Connections are accepted by the kernel into the backlog; nothing ever reads them.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 2049));
        silent.Listen(16);
        var started = Stopwatch.StartNew();
        var result = NfsScenario.Install(host, $"nfs:127.0.0.1:{export}");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(Timeout + 2), $"took {started.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nnfs repo nfs:127.0.0.1:{export}: 127.0.0.1 port 2049 did not answer PUTROOTFH within {Timeout} seconds\n", result.Stderr);
        NfsScenario.AssertNothingLeft(host);
    }

    [Fact]
    public void The_server_is_gone_after_its_test_whatever_the_outcome()
    {
        int ganesha = 0, rpcbind = 0;
        try
        {
            using var server = new GaneshaServer([export]);
            (ganesha, rpcbind) = (server.GaneshaPid, server.RpcbindPid);
            server.Freeze();
            throw new InvalidOperationException("the test failed here");
        }
        catch (InvalidOperationException)
        {
        }
        using var hostLock = new NfsHostLock();
        Assert.All(NfsHostLock.Ports, port => Assert.False(NfsHostLock.Listening(port), $"something still listens on {port}"));
        Assert.False(Directory.Exists($"/proc/{ganesha}") && File.ReadAllText($"/proc/{ganesha}/comm").StartsWith("ganesha"));
        Assert.False(Directory.Exists($"/proc/{rpcbind}") && File.ReadAllText($"/proc/{rpcbind}/comm").StartsWith("rpcbind"));
    }

    public void Dispose()
    {
        host.Dispose();
        Directory.Delete(export, recursive: true);
    }
}

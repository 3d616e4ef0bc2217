using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Eliloader.Tests.Support;
using XapiSimulator;

namespace Eliloader.Tests.Integration;

/// <summary>
/// What a hostile mirror, XenAPI or host could still get through (issue 14): each
/// ends in a code and a message naming the culprit, exit status 1, no stack trace,
/// nothing left behind.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class HardeningTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();
    private const string Images = "dists/squeeze/main/installer-amd64/current/images/netboot/xen/";

    private static Dictionary<string, string> Debian(string repository) => new()
    {
        ["install-distro"] = "debianlike",
        ["install-repository"] = repository,
        ["debian-release"] = "squeeze",
        ["install-arch"] = "amd64",
    };

    private void AssertRefused(ProcessResult result, string code, string message, IReadOnlyDictionary<string, string>? otherConfig = null)
    {
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}, stderr: {result.Stderr}");
        Assert.Equal($"RuntimeError: {code}\n{message}\n", result.Stderr);
        Assert.Empty(host.BootFiles());
        if (otherConfig is not null)
            Assert.Equal(otherConfig, host.Vm.OtherConfig);
    }

    [Fact]
    public void A_redirect_to_file_is_invalid_source_naming_both_urls()
    {
        using var server = new MisbehavingServer();
        var otherConfig = Debian(server.Url("tofile"));
        host.AddVm(otherConfig);
        AssertRefused(host.RunAsXenopsd(), "INVALID_SOURCE",
            $"'{server.Url("tofile")}{Images}vmlinuz' redirects to 'file:///etc/passwd': only http and https redirects are followed.", otherConfig);
    }

    [Fact]
    public void A_redirect_from_http_to_https_is_followed()
    {
        using var server = new MisbehavingServer { RedirectTo = mirror.HttpsUrl };
        host.AddVm(Debian(server.Url("redirect") + "debian"));
        host.Config["ca-bundle"] = mirror.Certificates.CaCertificate;
        var result = host.RunAsXenopsd();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        var tree = Path.Combine(RepoPaths.Mirrors, "debian", Images);
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(tree, "vmlinuz"), Path.Combine(tree, "initrd.gz"));
        Assert.Contains($"GET /redirect/debian/{Images}vmlinuz HTTP/1.1", server.Requests);
    }

    [Fact]
    public void A_mirror_that_drips_fails_below_download_min_rate()
    {
        using var server = new MisbehavingServer();
        var otherConfig = Debian(server.Url("drip"));
        host.AddVm(otherConfig);
        host.Config["download-timeout"] = "2";
        var clock = Stopwatch.StartNew();
        var result = host.RunAsXenopsd();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(new Regex($"^RuntimeError: INVALID_SOURCE\nDownload of '{Regex.Escape(server.Url("drip") + Images)}vmlinuz' failed: "
            + @"slower than download-min-rate 1024 bytes/s: \d{1,2} bytes in the last [\d.]+ seconds \(\d{1,2} of 100000 bytes received\)\.\n$"), result.Stderr);
        Assert.Empty(host.BootFiles());
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(host.Directory, "cache"), "*", SearchOption.AllDirectories), f => !f.Contains("/locks/"));
        Assert.Equal(otherConfig, host.Vm.OtherConfig);
    }

    [Fact]
    public void An_ftp_server_that_drips_fails_below_download_min_rate()
    {
        // pyftpdlib's own throttle, 200 bytes a second in bursts of 512 (shorter than the
        // stall timeout apart): the 3 kB kernel would take 15 seconds.
        using var ftp = FtpMirror.Throttled(bytesPerSecond: 200);
        host.AddVm(Debian(ftp.Url + "debian"));
        host.Config["download-timeout"] = "5";
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(new Regex($"^RuntimeError: INVALID_SOURCE\nDownload of '{Regex.Escape(ftp.Url + "debian/" + Images)}vmlinuz' failed: "
            + @"slower than download-min-rate 1024 bytes/s: \d+ bytes in the last [\d.]+ seconds \(\d+ of 3050 bytes received\)\.\n$"), result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void A_floor_of_zero_lets_a_slow_mirror_finish()
    {
        using var ftp = FtpMirror.Throttled(bytesPerSecond: 400);
        host.AddVm(Debian(ftp.Url + "debian"));
        host.Config["download-timeout"] = "5";
        host.Config["download-min-rate"] = "0";
        var result = host.RunAsXenopsd();
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(2, host.BootFiles().Length);
    }

    [Theory]
    [InlineData("minuslength", "-5")]
    [InlineData("wordlength", "lots")]
    public void A_malformed_content_length_is_invalid_source(string mode, string length)
    {
        using var server = new MisbehavingServer();
        var otherConfig = Debian(server.Url(mode));
        host.AddVm(otherConfig);
        AssertRefused(host.RunAsXenopsd(), "INVALID_SOURCE",
            $"'{server.Url(mode)}{Images}vmlinuz' was answered with a malformed Content-Length: '{length}'.", otherConfig);
    }

    private static string Http(string headers, string body) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n{headers}\r\n\r\n{body}";

    private const string FailureWithStructCode =
        "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
        + "<member><name>Status</name><value>Failure</value></member>"
        + "<member><name>ErrorDescription</name><value><array><data>"
        + "<value><struct><member><name>a</name><value>b</value></member></struct></value><value>x</value>"
        + "</data></array></value></member></struct></value></param></params></methodResponse>";

    public static TheoryData<string, string> XenApiAnswers => new()
    {
        {
            Http($"Content-Length: {Encoding.UTF8.GetByteCount(FailureWithStructCode)}", FailureWithStructCode),
            "XenAPI answered session.login_with_password with a Failure whose ErrorDescription holds a struct where a string belongs"
        },
        {
            Http("Content-Length: -5", FailureWithStructCode),
            "xapi call session.login_with_password: xapi answered session.login_with_password with a malformed Content-Length '-5'"
        },
        {
            Http("Content-Length: lots", FailureWithStructCode),
            "xapi call session.login_with_password: xapi answered session.login_with_password with a malformed Content-Length 'lots'"
        },
        {
            Http("Content-Length: 5000", FailureWithStructCode),
            $"xapi call session.login_with_password: xapi's answer to session.login_with_password ended after {Encoding.UTF8.GetByteCount(FailureWithStructCode)} of the 5000 bytes its Content-Length announced"
        },
        {
            Http("Content-Length: 9", "<a>b</c>!"),
            "xapi's answer to session.login_with_password is not a usable XML-RPC response: XML-RPC: expected <methodResponse>, found Element 'a'"
        },
    };

    [Theory]
    [MemberData(nameof(XenApiAnswers))]
    public void A_malformed_xenapi_answer_names_the_call_and_what_was_wrong(string answer, string message)
    {
        host.AddVm(Debian(mirror.HttpUrl + "debian"));
        host.State.Faults.Add(new Fault { Method = "session.login_with_password", Raw = answer });
        AssertRefused(host.RunAsXenopsd(), "INTERNAL_ERROR", message);
    }

    /// <summary>The published binary as an unprivileged user (nobody), as a person without the rights to the configuration runs it.</summary>
    private ProcessResult RunAsNobody(params string[] argv)
    {
        host.WriteConfig();
        File.SetUnixFileMode(host.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return ProcessRunner.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", RepoPaths.Binary, .. argv],
            new Dictionary<string, string> { ["ELILOADER_CONFIG"] = host.ConfigPath });
    }

    [Theory]
    [InlineData("-q", "--vm", Scenario.VmUuid, "")]
    [InlineData("cache", "list")]
    [InlineData("diagnose", "--vm", Scenario.VmUuid)]
    public void An_unreadable_configuration_is_an_error_naming_it_not_a_crash(params string[] argv)
    {
        var result = RunAsNobody(argv);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"RuntimeError: INTERNAL_ERROR\nInvalid configuration, {host.ConfigPath}: cannot be read: Access to the path '{host.ConfigPath}' is denied.\n", result.Stderr);
    }

    [Fact]
    public void Version_and_help_never_read_the_configuration()
    {
        var version = RunAsNobody("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^eliloader \d+\.\d+\.\d+\n$", version.Stdout);
        var help = RunAsNobody("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage: eliloader [-q] --vm <uuid>", help.Stdout);
        Assert.Contains("  eliloader cache        list, verify or prune the image cache\n", help.Stdout);
        Assert.Equal(0, RunAsNobody("cache", "--help").ExitCode);
    }

    [Fact]
    public void An_unexpected_failure_reaches_the_last_resort_in_the_callers_dialect()
    {
        // The toolstack probe reads a file that fails with EIO: nothing on the way expects
        // that, so only the last resort stands between it and a stack trace.
        host.Config["toolstack-binaries"] = "/proc/self/mem";
        host.Config["error-format"] = "code-lines";
        host.AddVm(Debian(mirror.HttpUrl + "debian"));
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("INTERNAL_ERROR\n", result.Stderr);
        Assert.Contains("/proc/self/mem", result.Stderr);
        Assert.DoesNotContain(" at ", result.Stderr);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains("unhandled:") && m.Contains(" at Eliloader."));
    }

    private string CacheObjects => Path.Combine(host.Directory, "cache", "objects");

    private string[] Partials() => Directory.Exists(CacheObjects) ? Directory.GetFiles(CacheObjects, ".partial-*") : [];

    [Theory]
    [InlineData("prune")]
    [InlineData("verify")]
    [InlineData("boot")]
    public void A_partial_download_left_by_sigkill_is_removed_once_nobody_holds_it(string next)
    {
        using var server = new MisbehavingServer();
        host.AddVm(Debian(server.Url("stallcached")));
        host.Config["download-timeout"] = "30";
        using var running = new RunningEliloader(host, "-q", "--vm", Scenario.VmUuid, "");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Partials().Length == 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        var partial = Assert.Single(Partials());

        // While its run lives, the partial file is its own.
        Assert.Equal(0, host.Run("cache", "prune").ExitCode);
        Assert.True(File.Exists(partial), "a live run's partial download was removed");

        running.Kill();
        Assert.True(File.Exists(partial), "SIGKILL ran a cleanup");
        if (next == "boot")
        {
            host.Simulator.Inspect(s => s.Vms.Single().OtherConfig["install-repository"] = mirror.HttpUrl + "debian");
            Assert.Equal(0, host.RunAsXenopsd().ExitCode);
        }
        else
        {
            Assert.Equal(0, host.Run("cache", next).ExitCode);
        }
        Assert.False(File.Exists(partial), $"the dead run's partial download outlived a {next}");
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"cache: removed {partial}, left by a run that died"));
    }

    public void Dispose() => host.Dispose();
}

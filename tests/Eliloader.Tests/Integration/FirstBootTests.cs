using System.Text.RegularExpressions;
using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// The published binary, run as each toolstack generation runs it, installing from
/// fixture mirrors served by nginx; the VM lives in the XapiSimulator.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class FirstBootTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();

    private const string SqueezeAmd64 = "debian/dists/squeeze/main/installer-amd64/current/images/netboot/xen/";

    private Dictionary<string, string> Debian(string release = "squeeze", string arch = "amd64", string? repository = null) => new()
    {
        ["install-distro"] = "debianlike",
        ["install-repository"] = repository ?? mirror.HttpUrl + "debian",
        ["debian-release"] = release,
        ["install-arch"] = arch,
        ["install-round"] = "1",
    };

    private (string Kernel, string Ramdisk, string Args) ParseSxp(string stdout)
    {
        var (kernel, ramdisk, args) = BootLine.ParseSxp(host, stdout);
        Assert.NotNull(ramdisk);
        return (kernel, ramdisk, args);
    }

    private void AssertFilesAre(string kernel, string ramdisk, string mirrorDirectory) =>
        BootLine.AssertFiles(host, kernel, ramdisk, Path.Combine(mirrorDirectory, "vmlinuz"), Path.Combine(mirrorDirectory, "initrd.gz"));

    private void AssertHandedToPygrub()
    {
        var vm = host.Vm;
        Assert.Equal("pygrub", vm.PvBootloader);
        Assert.False(vm.OtherConfig.ContainsKey("install-distro"));
        Assert.False(vm.OtherConfig.ContainsKey("install-round"));
        Assert.Contains("VM.set_PV_bootloader", host.CallNames);
        Assert.Equal("session.logout", host.CallNames[^1]);
        Assert.Equal(0, host.Simulator.OpenSessions);
    }

    private void AssertNothingChanged(IReadOnlyDictionary<string, string> otherConfig)
    {
        Assert.Empty(host.BootFiles());
        Assert.Equal("eliloader", host.Vm.PvBootloader);
        Assert.Equal(otherConfig, host.Vm.OtherConfig);
        Assert.DoesNotContain(host.CallNames, c => c.Contains(".set_") || c.Contains(".add_to_") || c.Contains(".remove_from_"));
        Assert.Equal(0, host.Simulator.OpenSessions);
    }

    private static void AssertError(ProcessResult result, string code, string message)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"RuntimeError: {code}\n{message}\n", result.Stderr);
    }

    [Fact]
    public void Current_xenopsd_gets_the_exact_sxp_line_and_the_mirrors_files()
    {
        host.AddVm(Debian());
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        var (kernel, ramdisk, args) = ParseSxp(result.Stdout);
        Assert.Equal($"linux (kernel {kernel})(ramdisk {ramdisk})(args \" \")\n", result.Stdout);
        Assert.Equal(" ", args);
        AssertFilesAre(kernel, ramdisk, Path.Combine(RepoPaths.Mirrors, SqueezeAmd64));
        AssertHandedToPygrub();
        Assert.Equal(
            ["session.login_with_password", "VM.get_by_uuid", "VM.get_other_config", "VM.set_PV_bootloader", "VM.get_platform",
             "VM.remove_from_other_config", "VM.remove_from_other_config", "session.logout"],
            host.CallNames);
        var removed = host.Simulator.Calls.Where(c => c.Method == "VM.remove_from_other_config").Select(c => c.Params[2]);
        Assert.Equal(["install-round", "install-distro"], removed);
    }

    [Fact]
    public void Xapi_2009_argv_with_escaped_extra_args_prints_them_escaped_again()
    {
        host.AddVm(Debian("wheezy", "i386"));
        var result = host.Run("-q", "--default_args=", "--extra_args=-- quiet console=hvc0 preseed=\\\"x y\\\"", $"--vm={Scenario.VmUuid}", "");
        Assert.Equal(0, result.ExitCode);
        var (kernel, ramdisk, args) = ParseSxp(result.Stdout);
        Assert.Equal("-- quiet console=hvc0 preseed=\\\"x y\\\"  ", args);
        AssertFilesAre(kernel, ramdisk, Path.Combine(RepoPaths.Mirrors, "debian/dists/wheezy/main/installer-i386/current/images/netboot/xen"));
        AssertHandedToPygrub();
    }

    [Fact]
    public void Xenopsd_2012_argv_with_separate_values()
    {
        host.AddVm(Debian("precise", "amd64", mirror.HttpUrl + "ubuntu/"));
        var result = host.Run("-q", "--default_args", "", "--extra_args", "-- quiet console=hvc0", "--vm", Scenario.VmUuid, "", "");
        Assert.Equal(0, result.ExitCode);
        var (kernel, ramdisk, args) = ParseSxp(result.Stdout);
        Assert.Equal(" -- quiet console=hvc0  ", args);
        AssertFilesAre(kernel, ramdisk, Path.Combine(RepoPaths.Mirrors, "ubuntu/dists/precise/main/installer-amd64/current/images/netboot/xen"));
    }

    [Fact]
    public void Simple_format_when_configured()
    {
        host.AddVm(Debian());
        host.Config["output-format"] = "simple";
        var result = host.RunAsXenopsd("/dev/xvdd");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        Assert.Matches($"^kernel {Regex.Escape(host.BootDir)}/vmlinuz-[A-Za-z0-9]{{6}}$", lines[0]);
        Assert.Matches($"^ramdisk {Regex.Escape(host.BootDir)}/ramdisk-[A-Za-z0-9]{{6}}$", lines[1]);
        Assert.Equal("args  ", lines[2]);
        AssertFilesAre(lines[0]["kernel ".Length..], lines[1]["ramdisk ".Length..], Path.Combine(RepoPaths.Mirrors, SqueezeAmd64));
    }

    [Fact]
    public void Auto_format_follows_the_toolstack_binary()
    {
        host.AddVm(Debian());
        var toolstack = Path.Combine(host.Directory, "xenopsd-xc");
        File.WriteAllBytes(toolstack, [.. new byte[3_000_000], .. "Unrecognised start of line when parsing bootloader result"u8, 0]);
        host.Config["toolstack-binaries"] = $"{host.Directory}/absent {toolstack}";
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("kernel ", result.Stdout);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"output-format = auto: {toolstack} has the simple-format parser"));
    }

    [Fact]
    public void Vnc_keys_and_install_args_reach_the_kernel_line()
    {
        var otherConfig = Debian("wheezy");
        otherConfig["install-vnc"] = "true";
        otherConfig["install-vncpasswd"] = "pa\"ss";
        otherConfig["install-args"] = "auto=true url=http://h/p.cfg";
        host.AddVm(otherConfig);
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("  vnc vncpassword=pa\\\"ss auto=true url=http://h/p.cfg", ParseSxp(result.Stdout).Args);
    }

    [Fact]
    public void A_repository_inside_a_release_is_used_as_it_is()
    {
        host.AddVm(Debian("squeeze", "amd64", mirror.HttpUrl + "debian/dists/squeeze"));
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        var (kernel, ramdisk, _) = ParseSxp(result.Stdout);
        AssertFilesAre(kernel, ramdisk, Path.Combine(RepoPaths.Mirrors, SqueezeAmd64));
    }

    [Fact]
    public void The_real_debian_12_netboot_files_arrive_intact()
    {
        host.AddVm(Debian("bookworm", "amd64", mirror.HttpUrl + "debian12/"));
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        var (kernel, ramdisk, _) = ParseSxp(result.Stdout);
        AssertFilesAre(kernel, ramdisk, Path.Combine(RepoPaths.Debian12Mirror, "dists/bookworm/main/installer-amd64/current/images/netboot/xen"));
        AssertHandedToPygrub();
    }

    [Fact]
    public void Https_with_the_hosts_ca_bundle()
    {
        host.AddVm(Debian("squeeze", "amd64", mirror.HttpsUrl + "debian"));
        host.Config["ca-bundle"] = $"{host.Directory}/absent.crt {mirror.Certificates.CaCertificate}";
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        var (kernel, ramdisk, _) = ParseSxp(result.Stdout);
        AssertFilesAre(kernel, ramdisk, Path.Combine(RepoPaths.Mirrors, SqueezeAmd64));
    }

    [Fact]
    public void Https_from_an_unknown_ca_is_refused()
    {
        var otherConfig = Debian("squeeze", "amd64", mirror.HttpsUrl + "debian");
        host.AddVm(otherConfig);
        host.Config["ca-bundle"] = mirror.Certificates.UnrelatedCaBundle;
        var result = host.RunAsXenopsd();
        AssertError(result, "INVALID_SOURCE",
            $"Unable to access a required file in the specified repository: {mirror.HttpsUrl}debian/dists/squeeze/main/installer-amd64/current/images/netboot/xen/vmlinuz.");
        AssertNothingChanged(otherConfig);
    }

    [Fact]
    public void Install_proxy_carries_every_request()
    {
        using var proxy = new RecordingProxy();
        var otherConfig = Debian();
        otherConfig["install-proxy"] = proxy.Url;
        host.AddVm(otherConfig);
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        var (kernel, ramdisk, _) = ParseSxp(result.Stdout);
        AssertFilesAre(kernel, ramdisk, Path.Combine(RepoPaths.Mirrors, SqueezeAmd64));
        var images = mirror.HttpUrl + "debian/dists/squeeze/main/installer-amd64/current/images/";
        var url = images + "netboot/xen/";
        var release = mirror.HttpUrl + "debian/dists/squeeze/";
        // squeeze publishes MD5SUMS only: SHA256SUMS is looked for first; then the
        // release's signed Release file, which this recorded tree does not carry.
        Assert.Equal(
            [
                $"HEAD {url}vmlinuz HTTP/1.1", $"HEAD {url}initrd.gz HTTP/1.1",
                $"HEAD {images}SHA256SUMS HTTP/1.1", $"HEAD {images}MD5SUMS HTTP/1.1", $"GET {images}MD5SUMS HTTP/1.1",
                $"HEAD {release}InRelease HTTP/1.1", $"HEAD {release}Release HTTP/1.1",
                $"GET {url}vmlinuz HTTP/1.1", $"GET {url}initrd.gz HTTP/1.1",
            ],
            proxy.Requests);
    }

    [Fact]
    public void Install_proxy_tunnels_https()
    {
        using var proxy = new RecordingProxy();
        var otherConfig = Debian("squeeze", "amd64", mirror.HttpsUrl + "debian");
        otherConfig["install-proxy"] = proxy.Url;
        host.AddVm(otherConfig);
        host.Config["ca-bundle"] = mirror.Certificates.CaCertificate;
        var result = host.RunAsXenopsd();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var (kernel, ramdisk, _) = ParseSxp(result.Stdout);
        AssertFilesAre(kernel, ramdisk, Path.Combine(RepoPaths.Mirrors, SqueezeAmd64));
        Assert.NotEmpty(proxy.Requests);
        Assert.All(proxy.Requests, r => Assert.Equal($"CONNECT localhost:{mirror.HttpsPort} HTTP/1.1", r));
    }

    [Fact]
    public void A_proxy_that_refuses_is_invalid_source_and_leaves_nothing()
    {
        using var proxy = new RecordingProxy { Refuse = true };
        var otherConfig = Debian();
        otherConfig["install-proxy"] = proxy.Url;
        host.AddVm(otherConfig);
        var result = host.RunAsXenopsd();
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: {mirror.HttpUrl}{SqueezeAmd64}vmlinuz.\n", result.Stderr);
        Assert.Empty(host.BootFiles());
        Assert.NotEmpty(proxy.Requests);
    }

    [Fact]
    public void Post_install_limits_move_to_the_platform_keys()
    {
        var vm = host.AddVm(Debian());
        vm.Platform["pv-postinstall-kernel-max-size"] = "1000000";
        vm.Platform["pv-kernel-max-size"] = "5";
        vm.Platform["pv-postinstall-ramdisk-max-size"] = "2000000";
        vm.Platform["other"] = "kept";
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new Dictionary<string, string>
        {
            ["pv-kernel-max-size"] = "1000000",
            ["pv-ramdisk-max-size"] = "2000000",
            ["other"] = "kept",
        }, host.Vm.Platform);
    }

    [Fact]
    public void Syslog_hears_the_arguments_urls_sizes_and_limits()
    {
        host.AddVm(Debian());
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        var messages = host.Syslog.Drain();
        Assert.All(messages, m => Assert.Matches(@"^<1[0-9]>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d eliloader\[\d+\]: ", m));
        Assert.Contains(messages, m => m.Contains($"invoked: '-q' '--vm' '{Scenario.VmUuid}' ''"));
        Assert.Contains(messages, m => m.Contains("limits in force: kernel 33554432 bytes, ramdisk 134217728 bytes"));
        var kernelSize = new FileInfo(Path.Combine(RepoPaths.Mirrors, SqueezeAmd64, "vmlinuz")).Length;
        Assert.Contains(messages, m => m.Contains($"fetched {mirror.HttpUrl}{SqueezeAmd64}vmlinuz: {kernelSize} bytes"));
    }

    public void Dispose() => host.Dispose();
}

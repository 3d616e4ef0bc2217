using Eliloader.Tests.Support;
using XapiSimulator;

namespace Eliloader.Tests.Integration;

/// <summary>
/// Every failure gives its code and a message naming the culprit in the caller's
/// dialect, exits 1, leaves the boot directory as it was and the VM unchanged.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class FailureTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();
    private const string Images = "dists/squeeze/main/installer-amd64/current/images/netboot/xen/";

    private Dictionary<string, string> Debian(string? repository = null) => new()
    {
        ["install-distro"] = "debianlike",
        ["install-repository"] = repository ?? mirror.HttpUrl + "debian",
        ["debian-release"] = "squeeze",
        ["install-arch"] = "amd64",
    };

    private void AssertFails(ProcessResult result, string code, string message, IReadOnlyDictionary<string, string> otherConfig) =>
        FailedBoot.AssertLeftAlone(host, result, code, message, otherConfig);

    [Fact]
    public void A_ramdisk_over_the_vms_limit_is_limits_and_leaves_nothing()
    {
        var otherConfig = Debian();
        host.AddVm(otherConfig, domid: 12);
        host.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = "999999999";
        host.State.Xenstore["/local/domain/12/platform/pv-ramdisk-max-size"] = "100";
        var result = host.RunAsXenopsd();
        AssertFails(result, "LIMITS", $"File '{mirror.HttpUrl}debian/{Images}initrd.gz' exceeds limit of 100 bytes", otherConfig);
    }

    [Fact]
    public void A_kernel_over_the_hosts_limit_is_limits()
    {
        var otherConfig = Debian();
        host.AddVm(otherConfig);
        host.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "2000";
        var result = host.RunAsXenopsd();
        AssertFails(result, "LIMITS", $"File '{mirror.HttpUrl}debian/{Images}vmlinuz' exceeds limit of 2000 bytes", otherConfig);
    }

    [Fact]
    public void A_file_exactly_at_the_limit_is_accepted_and_one_byte_less_is_not()
    {
        var size = new FileInfo(Path.Combine(RepoPaths.Mirrors, "debian", Images, "initrd.gz")).Length;
        host.AddVm(Debian());
        host.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = size.ToString();
        Assert.Equal(0, host.RunAsXenopsd().ExitCode);

        using var second = new Scenario();
        var otherConfig = Debian();
        second.AddVm(otherConfig);
        second.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = (size - 1).ToString();
        var result = second.RunAsXenopsd();
        Assert.Equal($"RuntimeError: LIMITS\nFile '{mirror.HttpUrl}debian/{Images}initrd.gz' exceeds limit of {size - 1} bytes\n", result.Stderr);
        Assert.Empty(second.BootFiles());
    }

    [Fact]
    public void Over_the_limit_while_streaming_without_a_length_is_cut_at_the_limit()
    {
        // nginx gives a Content-Length; the stall server's 100000-byte answer lets the
        // limit trip while data is still arriving, before the stall.
        using var server = new MisbehavingServer();
        var otherConfig = Debian(server.Url("stall"));
        host.AddVm(otherConfig);
        host.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "5";
        var result = host.RunAsXenopsd();
        AssertFails(result, "LIMITS", $"File '{server.Url("stall")}{Images}vmlinuz' exceeds limit of 5 bytes", otherConfig);
    }

    [Fact]
    public void A_missing_file_is_invalid_source_naming_the_url()
    {
        var otherConfig = Debian();
        otherConfig["debian-release"] = "sid";
        host.AddVm(otherConfig);
        var result = host.RunAsXenopsd();
        AssertFails(result, "INVALID_SOURCE",
            $"Unable to access a required file in the specified repository: {mirror.HttpUrl}debian/dists/sid/main/installer-amd64/current/images/netboot/xen/vmlinuz.",
            otherConfig);
    }

    [Fact]
    public void An_unknown_distro_is_unsupported()
    {
        var otherConfig = Debian();
        otherConfig["install-distro"] = "gentoolike";
        host.AddVm(otherConfig);
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD", "Distribution 'gentoolike' is not supported.", otherConfig);
    }

    [Fact]
    public void A_missing_debian_release_names_the_key_instead_of_fetching_dists_none()
    {
        var otherConfig = Debian();
        otherConfig.Remove("debian-release");
        host.AddVm(otherConfig);
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD",
            "other-config:debian-release was not set to an appropriate value, and this is required for the selected distribution type.", otherConfig);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gopher://m/debian")]
    [InlineData("CDROM")]
    public void A_bad_repository_is_unsupported(string? repository)
    {
        var otherConfig = Debian();
        otherConfig.Remove("install-repository");
        if (repository is not null)
            otherConfig["install-repository"] = repository;
        host.AddVm(otherConfig);
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD",
            "other-config:install-repository was not set to an appropriate value, and this is required for the selected distribution type.", otherConfig);
    }

    [Fact]
    public void The_oldest_dialect_puts_the_code_on_the_first_line()
    {
        var otherConfig = Debian();
        otherConfig["install-distro"] = "gentoolike";
        host.AddVm(otherConfig);
        host.Config["error-format"] = "code-lines";
        var result = host.Run("-q", "--default_args=", "--extra_args=", $"--vm={Scenario.VmUuid}", "");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("UNSUPPORTED_INSTALL_METHOD\nDistribution 'gentoolike' is not supported.\n", result.Stderr);
    }

    [Fact]
    public void Auto_error_dialect_follows_the_toolstack_binary()
    {
        var otherConfig = Debian();
        otherConfig["install-distro"] = "gentoolike";
        host.AddVm(otherConfig);
        var oldXapi = Path.Combine(host.Directory, "old-xapi");
        File.WriteAllText(oldXapi, "an old xapi without the marker");
        host.Config["toolstack-binaries"] = oldXapi;
        Assert.Equal("UNSUPPORTED_INSTALL_METHOD\nDistribution 'gentoolike' is not supported.\n", host.RunAsXenopsd().Stderr);
    }

    [Theory]
    [InlineData("truncate", "the connection ended early (1000 of 100000 bytes received).")]
    [InlineData("stall", "no data received for 2 seconds (10 of 100000 bytes received).")]
    public void A_broken_transfer_is_invalid_source(string mode, string reason)
    {
        using var server = new MisbehavingServer();
        var otherConfig = Debian(server.Url(mode));
        host.AddVm(otherConfig);
        host.Config["download-timeout"] = "2";
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nDownload of '{server.Url(mode)}{Images}vmlinuz' failed: {reason}\n", result.Stderr);
        Assert.Empty(host.BootFiles());
        Assert.Equal(otherConfig, host.Vm.OtherConfig);
    }

    [Fact]
    public void Sigterm_during_a_download_removes_the_files_of_the_run()
    {
        using var server = new MisbehavingServer();
        host.AddVm(Debian(server.Url("stall")));
        using var running = new RunningEliloader(host, "-q", "--vm", Scenario.VmUuid, "");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (host.BootFiles().Length == 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.Single(host.BootFiles());
        Assert.NotEqual(0, running.Terminate());
        Assert.Empty(host.BootFiles());
        Assert.Equal("eliloader", host.Vm.PvBootloader);
    }

    [Theory]
    [InlineData("status500")]
    [InlineData("loop")]
    public void A_server_error_or_redirect_loop_is_invalid_source(string mode)
    {
        using var server = new MisbehavingServer();
        var otherConfig = Debian(server.Url(mode));
        host.AddVm(otherConfig);
        var result = host.RunAsXenopsd();
        AssertFails(result, "INVALID_SOURCE", $"Unable to access a required file in the specified repository: {server.Url(mode)}{Images}vmlinuz.", otherConfig);
        // Two candidate layouts, each one HEAD followed through at most five redirects.
        Assert.True(server.Requests.Count <= (mode == "loop" ? 12 : 2), string.Join("\n", server.Requests));
    }

    [Fact]
    public void A_server_refusing_head_is_asked_with_get()
    {
        using var server = new MisbehavingServer();
        host.AddVm(Debian(server.Url("nohead")));
        var result = host.RunAsXenopsd();
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"GET /nohead/{Images}vmlinuz HTTP/1.1", server.Requests);
        Assert.Equal(2, host.BootFiles().Length);
    }

    [Fact]
    public void A_file_already_in_the_boot_directory_is_left_alone()
    {
        Directory.CreateDirectory(host.BootDir);
        var other = Path.Combine(host.BootDir, "vmlinuz-other1");
        File.WriteAllText(other, "another VM's kernel");
        var otherConfig = Debian();
        otherConfig["install-distro"] = "gentoolike";
        host.AddVm(otherConfig);
        Assert.Equal(1, host.RunAsXenopsd().ExitCode);
        Assert.Equal([other], host.BootFiles());
        Assert.Equal("another VM's kernel", File.ReadAllText(other));
    }

    [Fact]
    public void An_unknown_vm_carries_the_xenapi_code()
    {
        host.AddVm(Debian());
        var result = host.Run("-q", "--vm", "00000000-0000-0000-0000-000000000000", "");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("RuntimeError: UUID_INVALID\nVM\n00000000-0000-0000-0000-000000000000\n", result.Stderr);
    }

    [Fact]
    public void A_failing_vm_update_removes_the_downloaded_files()
    {
        var otherConfig = Debian();
        host.AddVm(otherConfig);
        host.State.Faults.Add(new Fault { Method = "VM.set_PV_bootloader", Error = ["HANDLE_INVALID", "VM", "OpaqueRef:x"] });
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("RuntimeError: HANDLE_INVALID\nVM\nOpaqueRef:x\n", result.Stderr);
        Assert.Empty(host.BootFiles());
        Assert.Contains(host.Syslog.Drain(), m => m.Contains("cleanup: removed " + host.BootDir + "/vmlinuz-"));
    }

    [Fact]
    public void No_xapi_is_an_internal_error_naming_the_sockets()
    {
        host.Config["xapi-socket"] = $"{host.Directory}/none1 {host.Directory}/none2";
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("RuntimeError: INTERNAL_ERROR\n", result.Stderr);
        Assert.Contains($"{host.Directory}/none1", result.Stderr);
        Assert.Contains($"{host.Directory}/none2", result.Stderr);
    }

    [Fact]
    public void A_broken_configuration_names_the_line()
    {
        host.Config["colour"] = "blue";
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"RuntimeError: INTERNAL_ERROR\nInvalid configuration, {host.ConfigPath} line ", result.Stderr);
        Assert.Contains("unknown key 'colour'", result.Stderr);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--vm x")]
    [InlineData("--vm x a b")]
    [InlineData("--frobnicate --vm x a")]
    public void Usage_errors_exit_2_with_the_usage_line(string argv)
    {
        var result = host.Run(argv.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("Invalid usage. Usage: eliloader --vm <vm> <image>\nRuntimeError: Invalid command line arguments.\n", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Empty(host.Simulator.Calls);
    }

    public void Dispose() => host.Dispose();
}

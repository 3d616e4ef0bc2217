using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// The corners where the Python loader and eliloader were run side by side on the same
/// inputs (issue 13): the published binary, run as the toolstack runs it. Each test
/// says, in its name or one comment, what the Python loader did, so it can be checked
/// against docs/protocol.md: first where eliloader now behaves as the Python loader did, then
/// the differences docs/compatibility.md lists under "Differences from the Python loader".
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class PythonCompatibilityTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();
    private const string Squeeze = "dists/squeeze/main/installer-amd64/current/images/netboot/xen/";
    private static readonly string SqueezeTree = Path.Combine(RepoPaths.Mirrors, "debian", Squeeze);

    private Dictionary<string, string> Debian(string? repository = null, string release = "squeeze") =>
        MirrorTrees.DebianVm(repository ?? mirror.HttpUrl + "debian", release);

    private Dictionary<string, string> Family(string distro, string repository) =>
        new() { ["install-distro"] = distro, ["install-repository"] = repository };

    /// <summary>The VM, with these keys added to its other-config; returns that other-config.</summary>
    private Dictionary<string, string> AddVm(Dictionary<string, string> otherConfig, params (string Key, string Value)[] keys)
    {
        foreach (var (key, value) in keys)
            otherConfig[key] = value;
        host.AddVm(otherConfig);
        return otherConfig;
    }

    /// <summary>A successful first boot: the SXP line, the files the mirror holds, and the args.</summary>
    private string AssertBoots(ProcessResult result, string tree, string kernel = "vmlinuz", string? ramdisk = "initrd.gz")
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(tree, kernel), ramdisk is null ? null : Path.Combine(tree, ramdisk));
        return line.Args;
    }

    private void AssertFails(ProcessResult result, string code, string message, IReadOnlyDictionary<string, string> otherConfig) =>
        FailedBoot.AssertLeftAlone(host, result, code, message, otherConfig);

    private void AssertUsageError(ProcessResult result, string detail)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"Invalid usage. Usage: eliloader --vm <vm> <image>\nRuntimeError: Invalid command line arguments.\n{detail}\n", result.Stderr);
    }

    // ---- As the Python loader did ----

    [Fact]
    public void Item_1_an_empty_install_proxy_is_no_proxy_and_boots_as_in_python()
    {
        AddVm(Debian(), ("install-proxy", ""));
        Assert.Equal(" ", AssertBoots(host.RunAsXenopsd(), SqueezeTree));
    }

    [Fact]
    public void Item_2_an_empty_install_args_adds_its_space_python_printed_two_spaces()
    {
        AddVm(Debian(mirror.HttpUrl + "ubuntu", "lucid"), ("install-args", ""));
        var result = host.RunAsXenopsd();
        Assert.Equal("  ", AssertBoots(result, Path.Combine(RepoPaths.Mirrors, "ubuntu/dists/lucid/main/installer-amd64/current/images/netboot/xen")));
        Assert.EndsWith("(args \"  \")\n", result.Stdout);
    }

    [Fact]
    public void Item_2_an_empty_install_vncpasswd_adds_nothing_python_tested_it_for_truth()
    {
        AddVm(Debian(), ("install-vncpasswd", ""), ("install-vnc", "true"));
        Assert.Equal("  vnc", AssertBoots(host.RunAsXenopsd(), SqueezeTree));
    }

    [Fact]
    public void Item_3_dists_double_slash_release_is_inside_the_release_as_python_split_it()
    {
        AddVm(Debian(mirror.HttpUrl + "debian/dists//squeeze/"));
        AssertBoots(host.RunAsXenopsd(), SqueezeTree);
        Assert.Contains(File.ReadLines(mirror.AccessLog), line => line.Contains($"GET /debian/dists//squeeze/main/installer-amd64/current/images/netboot/xen/vmlinuz "));
    }

    [Fact]
    public void Item_3_dists_followed_only_by_slashes_gets_the_release_appended_as_in_python()
    {
        var otherConfig = AddVm(Debian(mirror.HttpUrl + "debian/dists//"));
        AssertFails(host.RunAsXenopsd(), "INVALID_SOURCE",
            $"Unable to access a required file in the specified repository: {mirror.HttpUrl}debian/dists//dists/squeeze/main/installer-amd64/current/images/netboot/xen/vmlinuz.",
            otherConfig);
    }

    [Fact]
    public void Item_4_rhlike_images_xen_kernel_without_its_initrd_fails_naming_it_as_python_did()
    {
        // Python chose images/xen/ because its vmlinuz answered, then failed on initrd.img;
        // the tree's isolinux/ pair (not a Xen kernel on RHEL 5) is never taken.
        var (directory, url) = mirror.ScratchTree();
        ProcessRunner.Run("cp", ["-a", Path.Combine(RepoPaths.Mirrors, "centos/5.11/os/x86_64") + "/.", directory]);
        File.Delete(Path.Combine(directory, "images/xen/initrd.img"));
        var otherConfig = AddVm(Family("rhlike", url));
        AssertFails(host.RunAsXenopsd(), "INVALID_SOURCE",
            $"Unable to access a required file in the specified repository: {url}images/xen/initrd.img.", otherConfig);
    }

    [Theory]
    [InlineData("+1")]
    [InlineData(" 1 ")]
    [InlineData("01")]
    public void Item_7_install_round_is_read_as_python_int_read_it(string round)
    {
        AddVm(Debian(), ("install-round", round));
        AssertBoots(host.RunAsXenopsd(), SqueezeTree);
        Assert.False(host.Vm.OtherConfig.ContainsKey("install-round"));
        Assert.Equal("pygrub", host.Vm.PvBootloader);
    }

    // Python's int() read " 100", "+2000" and "-1"; -1 was applied, so every file exceeded it.
    [Theory]
    [InlineData("/mh/limits/pv-kernel-max-size", "+2000", "vmlinuz", "2000")]
    [InlineData("/local/domain/7/platform/pv-ramdisk-max-size", " 100\n", "initrd.gz", "100")]
    [InlineData("/mh/limits/pv-kernel-max-size", "-1", "vmlinuz", "-1")]
    [InlineData("/local/domain/7/platform/pv-ramdisk-max-size", "- 1", "initrd.gz", "-1")]
    public void Item_7_xenstore_limits_are_read_as_python_int_read_them(string path, string value, string file, string limit)
    {
        var otherConfig = AddVm(Debian());
        host.State.Xenstore[path] = value;
        AssertFails(host.RunAsXenopsd(), "LIMITS", $"File '{mirror.HttpUrl}debian/{Squeeze}{file}' exceeds limit of {limit} bytes", otherConfig);
    }

    // Python 2's int() refused these (ValueError); an unreadable limit keeps the one before.
    [Theory]
    [InlineData("1_000")]
    [InlineData("\u0661\u0660")]
    [InlineData("0x10")]
    public void Item_7_a_limit_python_2_could_not_read_is_ignored(string value)
    {
        AddVm(Debian());
        host.State.Xenstore["/mh/limits/pv-kernel-max-size"] = value;
        AssertBoots(host.RunAsXenopsd(), SqueezeTree);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"xenstore /mh/limits/pv-kernel-max-size = '{value}' is not a size; ignored"));
    }

    [Fact]
    public void Item_8_dash_dash_v_is_vm_as_pythons_getopt_took_a_unique_prefix()
    {
        AddVm(Debian());
        AssertBoots(host.Run("-q", "--v", Scenario.VmUuid, ""), SqueezeTree);
    }

    [Theory]
    [InlineData("--ver", "unknown option --ver")]
    [InlineData("--he", "unknown option --he")]
    public void Item_8_help_and_version_match_only_in_full_python_knew_neither(string option, string detail)
    {
        AddVm(Debian());
        AssertUsageError(host.Run(option, "--vm", Scenario.VmUuid, ""), detail);
        Assert.Empty(host.Simulator.Calls);
    }

    [Fact]
    public void Item_9_options_after_the_image_are_read_where_pythons_getopt_stopped_and_crashed()
    {
        AddVm(Debian());
        AssertBoots(host.Run("-q", "/dev/xvdd", "--vm", Scenario.VmUuid), SqueezeTree);
    }

    // Python looked "" up among its families: UnsupportedInstallMethod with this message.
    [Fact]
    public void An_empty_install_distro_is_not_supported_as_in_python()
    {
        var otherConfig = AddVm(Debian(), ("install-distro", ""));
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD", "Distribution '' is not supported.", otherConfig);
    }

    // ---- Differences from the Python loader, kept on purpose ----

    // Python fetched …/main/installer-/current/… and failed with a 404 INVALID_SOURCE.
    [Fact]
    public void An_empty_install_arch_for_debianlike_names_the_key_where_python_fetched_installer_dash()
    {
        var otherConfig = AddVm(Debian(), ("install-arch", ""));
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD",
            "other-config:install-arch is '', which debianlike does not support (i386, amd64, x86_64).", otherConfig);
    }

    [Fact]
    public void Item_10_a_head_refused_with_405_is_asked_with_get_where_python_fell_back_to_isolinux()
    {
        using var server = new MisbehavingServer();
        AddVm(Family("rhlike", server.Url("nohead")));
        var result = host.RunAsXenopsd();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        Assert.Equal("served by GET /nohead/images/xen/vmlinuz", File.ReadAllText(line.Kernel));
        Assert.Equal("served by GET /nohead/images/xen/initrd.img", File.ReadAllText(line.Ramdisk!));
        Assert.Contains("HEAD /nohead/images/xen/vmlinuz HTTP/1.1", server.Requests);
        Assert.DoesNotContain(server.Requests, r => r.Contains("isolinux"));
    }

    // Python printed nothing, exited 0 and wrote install-round + 1, leaving a VM that cannot boot.
    [Theory]
    [InlineData("0", 0)]
    [InlineData("-1", -1)]
    [InlineData("3", 3)]
    public void An_install_round_outside_the_familys_is_refused_where_python_printed_nothing(string value, int round)
    {
        var otherConfig = AddVm(Family("rhlike", mirror.HttpUrl + "centos/5.11/os/x86_64"), ("install-round", value));
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD",
            $"other-config:install-round is {round}, but a rhlike install has 2 rounds.", otherConfig);
    }

    // Python's int() raised ValueError: a traceback without "RuntimeError:", an internal error for the user.
    [Theory]
    [InlineData("")]
    [InlineData("two")]
    public void An_install_round_python_could_not_read_is_unsupported_naming_the_key(string value)
    {
        var otherConfig = AddVm(Debian(), ("install-round", value));
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD",
            $"other-config:install-round is '{value}', which is not a round number.", otherConfig);
    }

    // Python raised UnsupportedInstallMethod without a message: the code alone.
    [Fact]
    public void Round_2_of_a_one_round_family_carries_a_message_after_its_code_python_printed_the_code_alone()
    {
        var otherConfig = AddVm(Debian(), ("install-round", "2"));
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD",
            "other-config:install-round is 2, but a debianlike install has 1 round.", otherConfig);
    }

    // Python took "" as set and downloaded the repository's directory listing as the kernel.
    [Fact]
    public void Pygrub_family_empty_install_kernel_is_unset_where_python_fetched_the_directory()
    {
        var otherConfig = AddVm(Family("pygrub", mirror.HttpUrl + "xenapi-sdk"), ("install-kernel", ""), ("install-ramdisk", "install.img"));
        AssertFails(host.RunAsXenopsd(), "INVALID_SOURCE", "install-distro=pygrub requires install-kernel for network boot", otherConfig);
    }

    // Python took "" as set and downloaded the repository's directory listing as the ramdisk.
    [Fact]
    public void Pygrub_family_empty_install_ramdisk_is_unset_where_python_fetched_the_directory()
    {
        AddVm(Family("pygrub", mirror.HttpUrl + "xenapi-sdk"), ("install-kernel", "vmlinuz"), ("install-ramdisk", ""));
        var result = host.RunAsXenopsd();
        AssertBoots(result, Path.Combine(RepoPaths.Mirrors, "xenapi-sdk"), ramdisk: null);
        Assert.DoesNotContain("ramdisk", result.Stdout);
    }

    // Python: a download into dists//main/… and a 404 INVALID_SOURCE.
    [Fact]
    public void An_empty_debian_release_names_the_key_where_python_fetched_dists_double_slash()
    {
        var otherConfig = AddVm(Debian(release: ""));
        AssertFails(host.RunAsXenopsd(), "UNSUPPORTED_INSTALL_METHOD",
            "other-config:debian-release was not set to an appropriate value, and this is required for the selected distribution type.", otherConfig);
    }

    // Python 2 printed unicode to a pipe with the ascii codec: UnicodeEncodeError, no boot line.
    [Theory]
    [InlineData("sxp")]
    [InlineData("simple")]
    public void Non_ascii_install_args_and_vnc_password_boot_where_python_2_crashed(string format)
    {
        AddVm(Debian(), ("install-args", "locale=fr_FR.UTF-8 hostname=café"), ("install-vncpasswd", "pässwört"));
        host.Config["output-format"] = format;
        host.WriteConfig();
        // dom0's toolstack may run it without a UTF-8 locale; the bytes are UTF-8 regardless.
        var result = ProcessRunner.Run(RepoPaths.Binary, ["-q", "--vm", Scenario.VmUuid, ""],
            new Dictionary<string, string> { ["ELILOADER_CONFIG"] = host.ConfigPath, ["LANG"] = "C", ["LC_ALL"] = "C" });
        Assert.True(result.ExitCode == 0, result.Stderr);
        const string args = "  vncpassword=pässwört locale=fr_FR.UTF-8 hostname=café";
        Assert.EndsWith(format == "sxp" ? $"(args \"{args}\")\n" : $"\nargs {args}\n", result.Stdout);
        Assert.Equal(2, host.BootFiles().Length);
    }

    // Python crashed connecting to xenstore. The defaults are XenServer's own: 32 MiB and 128 MiB.
    [Fact]
    public void Without_a_xenstore_socket_the_default_limits_apply_and_are_logged_where_python_crashed()
    {
        AddVm(Debian());
        host.Config["xenstore-socket"] = $"{host.Directory}/no-xenstored";
        AssertBoots(host.RunAsXenopsd(), SqueezeTree);
        var log = host.Syslog.Drain();
        Assert.Contains(log, m => m.Contains($"xenstore unavailable (Cannot connect to xenstored ({host.Directory}/no-xenstored: "));
        Assert.Contains(log, m => m.Contains("limits in force: kernel 33554432 bytes, ramdisk 134217728 bytes"));
    }

    // Python printed the usage line, then a traceback ending in the RuntimeError line.
    [Fact]
    public void A_usage_error_carries_one_detail_line_after_the_usage_text_where_python_printed_a_traceback()
    {
        AssertUsageError(host.Run("--vm", Scenario.VmUuid, "a", "b\nc"), "more than one image given: a b\\x0ac");
    }

    public void Dispose() => host.Dispose();
}

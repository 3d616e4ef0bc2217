using System.Text.RegularExpressions;
using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>`eliloader diagnose`: a dry run that changes nothing and names the first failure.</summary>
[Collection(MirrorCollection.Name)]
public sealed class DiagnoseTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();
    private const string Images = "debian/dists/squeeze/main/installer-amd64/current/images/netboot/xen/";

    private Dictionary<string, string> Debian() => new()
    {
        ["install-distro"] = "debianlike",
        ["install-repository"] = mirror.HttpUrl + "debian",
        ["debian-release"] = "squeeze",
        ["install-arch"] = "amd64",
    };

    private void AssertNothingWritten()
    {
        Assert.Empty(host.BootFiles());
        Assert.DoesNotContain(host.CallNames, c => c.Contains(".set_") || c.Contains(".add_to_") || c.Contains(".remove_from_"));
    }

    [Fact]
    public void A_working_vm_shows_the_boot_line_a_real_boot_then_prints()
    {
        var otherConfig = Debian();
        host.AddVm(otherConfig);
        var diagnosis = host.Run("diagnose", "--vm", Scenario.VmUuid);
        Assert.True(diagnosis.ExitCode == 0, diagnosis.Stdout + diagnosis.Stderr);
        Assert.Contains($"look:        {mirror.HttpUrl}{Images}vmlinuz: found (HTTP 200)", diagnosis.Stdout);
        Assert.Contains("install-arch: amd64", diagnosis.Stdout);
        Assert.Contains("install-round: 1 (default)", diagnosis.Stdout);
        Assert.Contains("result: a real first boot would succeed", diagnosis.Stdout);
        AssertNothingWritten();
        Assert.Equal(otherConfig, host.Vm.OtherConfig);

        var boot = host.RunAsXenopsd();
        var printed = Regex.Match(diagnosis.Stdout, "boot line: +(.*)\n").Groups[1].Value;
        Assert.Equal(Regex.Replace(boot.Stdout.TrimEnd('\n'), "-[A-Za-z0-9]{6}\\)", "-XXXXXX)"), printed);
    }

    [Fact]
    public void A_missing_kernel_names_the_url_and_invalid_source()
    {
        var otherConfig = Debian();
        otherConfig["debian-release"] = "sid";
        host.AddVm(otherConfig);
        var diagnosis = host.Run("diagnose", "--vm", Scenario.VmUuid);
        Assert.Equal(1, diagnosis.ExitCode);
        Assert.Contains($"{mirror.HttpUrl}debian/dists/sid/main/installer-amd64/current/images/netboot/xen/vmlinuz: missing", diagnosis.Stdout);
        Assert.Contains($"would FAIL with INVALID_SOURCE: Unable to access a required file in the specified repository: {mirror.HttpUrl}debian/dists/sid/main/installer-amd64/current/images/netboot/xen/vmlinuz.", diagnosis.Stdout);
        AssertNothingWritten();
    }

    [Fact]
    public void An_initrd_over_the_limit_names_limits_and_both_sizes()
    {
        host.AddVm(Debian());
        host.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = "100";
        var size = new FileInfo(Path.Combine(RepoPaths.Mirrors, Images, "initrd.gz")).Length;
        var diagnosis = host.Run("diagnose", "--vm", Scenario.VmUuid);
        Assert.Equal(1, diagnosis.ExitCode);
        Assert.Contains($"ramdisk:     {mirror.HttpUrl}{Images}initrd.gz: {size} bytes, limit 100", diagnosis.Stdout);
        Assert.Contains("would FAIL with LIMITS", diagnosis.Stdout);
        AssertNothingWritten();
    }

    [Fact]
    public void Other_config_given_on_the_command_line_needs_no_xenapi()
    {
        host.Config["xapi-socket"] = host.Directory + "/no-xapi";
        var result = host.Run("diagnose", "--other-config", "install-distro=rhlike", "--other-config", $"install-repository={mirror.HttpUrl}centos/5.11/os/x86_64");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains($"boot line:   linux (kernel {host.BootDir}/vmlinuz-XXXXXX)(ramdisk {host.BootDir}/ramdisk-XXXXXX)(args \" method={mirror.HttpUrl}centos/5.11/os/x86_64/\")", result.Stdout);
        Assert.Contains("vm change:   other-config:install-round = 2", result.Stdout);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void Json_holds_the_same_findings_and_the_error()
    {
        var otherConfig = Debian();
        otherConfig["debian-release"] = "sid";
        host.AddVm(otherConfig);
        var result = host.Run("diagnose", "--vm", Scenario.VmUuid, "--json");
        Assert.Equal(1, result.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_SOURCE", root.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(root.GetProperty("findings").EnumerateArray(), f =>
            f.GetProperty("step").GetString() == "look" && f.GetProperty("detail").GetString()!.EndsWith("/dists/sid/main/installer-amd64/current/images/netboot/xen/vmlinuz: missing (HTTP 404)", StringComparison.Ordinal));
        AssertNothingWritten();
    }

    [Fact]
    public void A_diagnosis_names_the_published_checksum_and_fetch_checks_it()
    {
        var (directory, url) = MirrorTrees.Debian12(mirror);
        host.Config["temp-dir"] = host.Directory;
        host.AddVm(MirrorTrees.DebianVm(url, "bookworm"));
        var sums = url + MirrorTrees.Bookworm + "SHA256SUMS";
        var initrd = url + MirrorTrees.Bookworm + "netboot/xen/initrd.gz";
        var initrdSum = File.ReadAllLines(Path.Combine(directory, MirrorTrees.Bookworm, "SHA256SUMS")).Single(l => l.EndsWith("initrd.gz", StringComparison.Ordinal))[..64];

        var plain = host.Run("diagnose", "--vm", Scenario.VmUuid);
        Assert.True(plain.ExitCode == 0, plain.Stdout + plain.Stderr);
        Assert.Contains($"checksum:    {initrd}: sha256:{initrdSum} published in {sums}", plain.Stdout);
        Assert.DoesNotContain("fetched:", plain.Stdout);
        Assert.Contains($"cache:       {initrd}: not kept; a boot downloads it and keeps it in {host.Config["cache-dir"]}", plain.Stdout);

        var fetched = host.Run("diagnose", "--vm", Scenario.VmUuid, "--fetch");
        Assert.True(fetched.ExitCode == 0, fetched.Stdout + fetched.Stderr);
        Assert.Contains($"fetched:     {initrd}: {new FileInfo(Path.Combine(directory, MirrorTrees.Bookworm, "netboot/xen/initrd.gz")).Length} bytes, matches the sha256 published in {sums}", fetched.Stdout);
        Assert.Contains("is named by no guest-installer map", fetched.Stdout);
        AssertNothingWritten();
        // The scratch directory went with the run, and the cache was not touched.
        Assert.Empty(Directory.GetDirectories(host.Directory, "eliloader-*"));
        Assert.False(Directory.Exists(host.Config["cache-dir"]));
    }

    [Fact]
    public void Fetch_refuses_a_tampered_initrd_with_invalid_source()
    {
        var (directory, url) = MirrorTrees.Debian12(mirror);
        host.Config["temp-dir"] = host.Directory;
        var initrd = Path.Combine(directory, MirrorTrees.Bookworm, "netboot/xen/initrd.gz");
        var bytes = File.ReadAllBytes(initrd);
        File.Delete(initrd);
        bytes[^1] ^= 1;
        File.WriteAllBytes(initrd, bytes);
        host.AddVm(MirrorTrees.DebianVm(url, "bookworm"));

        var result = host.Run("diagnose", "--vm", Scenario.VmUuid, "--fetch");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"would FAIL with INVALID_SOURCE: File '{url}{MirrorTrees.Bookworm}netboot/xen/initrd.gz' does not match the sha256 checksum published in {url}{MirrorTrees.Bookworm}SHA256SUMS", result.Stdout);
        AssertNothingWritten();
        Assert.Empty(Directory.GetDirectories(host.Directory, "eliloader-*"));
    }

    [Theory]
    [InlineData("diagnose")]
    [InlineData("diagnose --vm")]
    [InlineData("diagnose --other-config novalue")]
    [InlineData("diagnose --frob")]
    public void Usage_errors_exit_2(string argv)
    {
        var result = host.Run(argv.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage: eliloader diagnose", result.Stderr);
    }

    public void Dispose() => host.Dispose();
}

using System.Text.RegularExpressions;
using Eliloader.Tests.Support;
using XapiSimulator;

namespace Eliloader.Tests.Integration;

/// <summary>`eliloader restart`: a VM goes back to the start of its install, and the next start repeats it exactly.</summary>
[Collection(MirrorCollection.Name)]
public sealed class RestartTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();

    private static string Snapshot(SimVm vm) =>
        $"{vm.PvBootloader}|{vm.PvBootloaderArgs}|{string.Join(",", vm.OtherConfig.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"))}|{string.Join(",", vm.Platform.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"))}";

    private static string WithoutSuffixes(string bootLine) => Regex.Replace(bootLine, "-[A-Za-z0-9]{6}\\)", "-XXXXXX)");

    [Fact]
    public void Restart_then_start_repeats_the_install_exactly()
    {
        var vm = host.AddVm(new()
        {
            ["install-distro"] = "debianlike",
            ["install-repository"] = mirror.HttpUrl + "debian",
            ["debian-release"] = "wheezy",
            ["install-arch"] = "amd64",
        });
        vm.Platform["pv-postinstall-kernel-max-size"] = "50000000";
        vm.Platform["pv-kernel-max-size"] = "40000000";
        var before = Snapshot(host.Vm);

        var first = host.RunAsXenopsd();
        Assert.Equal(0, first.ExitCode);
        var afterFirst = Snapshot(host.Vm);
        Assert.NotEqual(before, afterFirst);

        var restart = host.Run("restart", "--vm", Scenario.VmUuid);
        Assert.True(restart.ExitCode == 0, restart.Stderr);
        Assert.Contains("PV-bootloader = eliloader", restart.Stdout);
        Assert.Contains("other-config:install-distro = debianlike", restart.Stdout);
        Assert.Equal(before, Snapshot(host.Vm));

        foreach (var file in host.BootFiles())
            File.Delete(file);
        var second = host.RunAsXenopsd();
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(WithoutSuffixes(first.Stdout), WithoutSuffixes(second.Stdout));
        Assert.Equal(afterFirst, Snapshot(host.Vm));
    }

    [Fact]
    public void Without_a_record_the_distro_must_be_given()
    {
        var vm = host.AddVm(new() { ["install-repository"] = "cdrom" });
        vm.PvBootloader = "pygrub";
        vm.PvBootloaderArgs = "--entry 1";
        var refused = host.Run("restart", "--vm", Scenario.VmUuid);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("RuntimeError: UNSUPPORTED_INSTALL_METHOD\nThere is no record of VM", refused.Stderr);
        Assert.Equal("pygrub", host.Vm.PvBootloader);

        var restart = host.Run("restart", "--vm", Scenario.VmUuid, "--distro", "rhlike");
        Assert.Equal(0, restart.ExitCode);
        Assert.Equal("eliloader", host.Vm.PvBootloader);
        Assert.Equal("", host.Vm.PvBootloaderArgs);
        Assert.Equal("rhlike", host.Vm.OtherConfig["install-distro"]);
    }

    [Theory]
    [InlineData("restart")]
    [InlineData("restart --vm")]
    [InlineData("restart --vm u --frob")]
    public void Usage_errors_exit_2(string argv)
    {
        var result = host.Run(argv.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage: eliloader restart", result.Stderr);
    }

    public void Dispose() => host.Dispose();
}

using Eliloader.Tests.Support;
using Xunit.Abstractions;

namespace Eliloader.Tests.Integration;

/// <summary>
/// Every template of templates.tsv installs by every method it lists, and by https: a
/// VM with exactly the template's keys and a repository at the matching fixture (a
/// URL, an export of a real nfs-ganesha read by the built-in client, or an ISO image in the drive) goes through round 1 and, where
/// its family has one, round 2, both with Xen's real pygrub: the Xen API SDK's installer
/// CD for the pygrub family, and for round 2 a disk laid out as that release's installer
/// leaves it (<see cref="InstalledGuests"/>), whose kernel and bootloader arguments are
/// checked. A template with PV-args is started as xapi started it (--extra_args), the
/// others as today's xenopsd does. pygrub's directory is as it was at the end, once the
/// toolstack's part (reading the files, then deleting them) is done. The table goes to
/// the test output and to TestResults/template-coverage.txt.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class TemplateCoverageTests(NginxMirror mirror, FtpMirror ftp, ITestOutputHelper output)
{
    [Fact]
    public void Every_template_installs_by_every_method()
    {
        Assert.Equal(178, TemplateCatalog.All.Count);
        var cases = TemplateCatalog.All
            .SelectMany(t => t.Methods.Append("https").Select(method => (Template: t, Method: method)))
            .ToList();
        using var nfs = new GaneshaServer([RepoPaths.Mirrors]);
        using var pygrubDir = new PygrubDirectory();
        var before = pygrubDir.Snapshot();
        var results = new string[cases.Count];
        Parallel.For(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = Install(cases[i].Template, cases[i].Method));

        var table = new List<string> { $"{"template",-58} {"method",-6} result" };
        table.AddRange(cases.Select((c, i) => $"{c.Template.Name,-58} {c.Method,-6} {results[i]}"));
        var failed = results.Count(r => !r.StartsWith("ok", StringComparison.Ordinal));
        table.Add($"{TemplateCatalog.All.Count} templates, {cases.Count} template x method cases, {cases.Count - failed} ok, {failed} failed");
        var report = Path.Combine(RepoPaths.Root, "TestResults", "template-coverage.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        File.WriteAllLines(report, table);
        foreach (var line in table)
            output.WriteLine(line);
        Assert.True(failed == 0, string.Join("\n", table.Where(l => l.Contains("FAILED"))));
        Assert.Equal(["cdrom", "ftp", "http", "https", "nfs"], cases.Select(c => c.Method).Distinct().Order());
        pygrubDir.AssertLeftAsItWas(before);
    }

    private string Install(Template template, string method)
    {
        using var host = new Scenario();
        var tree = TemplateCatalog.FixtureTree(template);
        var (repository, image) = Source(host, template, tree, method);
        host.AddVm(template.OtherConfig(repository));
        host.Config["pygrub"] = PygrubDirectory.RealPygrub;
        host.Config["ca-bundle"] = mirror.Certificates.CaCertificate;

        var first = template.PvArgs.Length > 0
            ? host.Run("-q", "--default_args=", $"--extra_args={template.PvArgs}", $"--vm={Scenario.VmUuid}", image)
            : host.RunAsXenopsd(image);
        if (first.ExitCode != 0)
            return $"FAILED round 1: {first.Stderr.Replace('\n', ' ')}";
        var installer = ToolstackAnswer.Accept(first.Stdout, simple: false, host.BootDir, PygrubDirectory.Path);
        var args = installer.Args;
        if (!args.StartsWith(template.PvArgs + (template.PvArgs.Length > 0 ? "  " : " "), StringComparison.Ordinal))
            return $"FAILED round 1: args '{args}' do not start with the PV-args";
        if (method == "cdrom" && !host.Vm.Vbds.Single(v => v.Userdevice == "0").Bootable)
            return "FAILED round 1: the disk was not made bootable";
        var picked = $"{tree}, {installer.KernelBytes.Length} + {installer.RamdiskBytes?.Length ?? 0} bytes, args \"{args}\"";
        if (!host.Vm.OtherConfig.ContainsKey("install-round"))
            return host.Vm.PvBootloader == "pygrub" && !host.Vm.OtherConfig.ContainsKey("install-distro")
                ? $"ok, 1 round ({picked})"
                : "FAILED: one-round install did not hand over to pygrub";

        var disk = InstalledDisk.For(template);
        var second = host.RunAsXenopsd(disk.Image);
        if (second.ExitCode != 0)
            return $"FAILED round 2: exit {second.ExitCode} {second.Stderr.Replace('\n', ' ')}";
        var installed = ToolstackAnswer.Accept(second.Stdout, simple: false, PygrubDirectory.Path);
        if (!installed.KernelBytes.SequenceEqual(GuestDisks.StandIn(disk.Kernel)) || !installed.RamdiskBytes!.SequenceEqual(GuestDisks.StandIn(disk.Initrd)))
            return $"FAILED round 2: pygrub booted {installed.Kernel}, not {disk.Kernel} and {disk.Initrd}";
        if (host.Vm.PvBootloaderArgs != disk.BootloaderArgs)
            return $"FAILED round 2: PV-bootloader-args '{host.Vm.PvBootloaderArgs}', not '{disk.BootloaderArgs}'";
        return host.Vm.PvBootloader == "pygrub" && !host.Vm.OtherConfig.ContainsKey("install-distro") && !host.Vm.OtherConfig.ContainsKey("install-round")
            ? $"ok, 2 rounds ({picked}; then {disk.Kernel} from {Path.GetFileName(disk.Image)})"
            : "FAILED: round 2 did not finish the install";
    }

    /// <summary>The install-repository value and the image argument for one method.</summary>
    private (string Repository, string Image) Source(Scenario host, Template template, string tree, string method)
    {
        switch (method)
        {
            case "http":
                return (mirror.HttpUrl + tree, "");
            case "https":
                return (mirror.HttpsUrl + tree, "");
            case "ftp":
                return (ftp.Url + tree, "");
            case "nfs":
                return ($"nfs:127.0.0.1:{Path.Combine(RepoPaths.Mirrors, tree)}", "");
            case "cdrom" when template.Distro == "debianlike":
                var arch = template.Arch == "i386" ? "i386" : "amd64";
                var layout = tree == "ubuntu" ? "install" : arch == "i386" ? "install.386/xen" : "install.amd/xen";
                return ("cdrom", MediumBuilder.DebianMedium(tree, template.DebianRelease!, arch, layout));
            case "cdrom" when template.Distro == "pygrub":
                return ("cdrom", InstalledGuests.XenApiSdkMedium);
            case "cdrom":
                return ("cdrom", MediumBuilder.ImageOf(tree));
            default:
                throw new InvalidOperationException($"unknown install method {method}");
        }
    }
}

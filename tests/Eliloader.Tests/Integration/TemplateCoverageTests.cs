using Eliloader.Tests.Support;
using Xunit.Abstractions;

namespace Eliloader.Tests.Integration;

/// <summary>
/// Every template of templates.tsv installs over http: a VM with exactly the template's
/// keys and a repository at the matching fixture goes through round 1 and, where its
/// family has one, round 2 with a stand-in pygrub. A template with PV-args is started
/// as xapi started it (--extra_args), the others as today's xenopsd does. The table goes to the test output
/// and to TestResults/template-coverage.txt.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class TemplateCoverageTests(NginxMirror mirror, ITestOutputHelper output)
{
    [Fact]
    public void Every_template_installs_over_http()
    {
        Assert.Equal(178, TemplateCatalog.All.Count);
        var rows = TemplateCatalog.All.Select(template => (template, result: Install(template))).ToList();
        var table = new List<string> { $"{"template",-58} {"method",-6} result" };
        table.AddRange(rows.Select(r => $"{r.template.Name,-58} {"http",-6} {r.result}"));
        var failed = rows.Count(r => !r.result.StartsWith("ok", StringComparison.Ordinal));
        table.Add($"{rows.Count} templates, {rows.Count - failed} ok, {failed} failed");
        var report = Path.Combine(RepoPaths.Root, "TestResults", "template-coverage.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        File.WriteAllLines(report, table);
        foreach (var line in table)
            output.WriteLine(line);
        Assert.True(failed == 0, string.Join("\n", table.Where(l => !l.Contains(" ok"))));
    }

    private string Install(Template template)
    {
        using var host = new Scenario();
        var tree = TemplateCatalog.FixtureTree(template);
        var otherConfig = template.OtherConfig(mirror.HttpUrl + tree);
        host.AddVm(otherConfig);
        var pygrub = new StandInPygrub(host.Directory, StandInPygrub.AlwaysBoots);
        host.Config["pygrub"] = pygrub.Path;

        var first = template.PvArgs.Length > 0
            ? host.Run("-q", "--default_args=", $"--extra_args={template.PvArgs}", $"--vm={Scenario.VmUuid}", "")
            : host.RunAsXenopsd();
        if (first.ExitCode != 0)
            return $"FAILED round 1: {first.Stderr.Replace('\n', ' ')}";
        var line = BootLine.ParseSxp(host, first.Stdout);
        if (!line.Args.StartsWith(template.PvArgs + (template.PvArgs.Length > 0 ? "  " : " "), StringComparison.Ordinal))
            return $"FAILED round 1: args '{line.Args}' do not start with the PV-args";
        if (host.BootFiles().Length != (line.Ramdisk is null ? 1 : 2))
            return "FAILED round 1: boot directory does not hold exactly the handed-out files";
        var picked = $"{tree}, {new FileInfo(line.Kernel).Length} + {(line.Ramdisk is null ? 0 : new FileInfo(line.Ramdisk).Length)} bytes, args \"{line.Args}\"";
        var rounds = host.Vm.OtherConfig.TryGetValue("install-round", out var next) ? next : null;
        if (rounds is null)
            return host.Vm.PvBootloader == "pygrub" && !host.Vm.OtherConfig.ContainsKey("install-distro")
                ? $"ok, 1 round ({picked})"
                : "FAILED: one-round install did not hand over to pygrub";

        var second = host.RunAsXenopsd("/dev/xvda");
        if (second.ExitCode != 0 || !second.Stdout.StartsWith("linux (kernel /var/run/xen/pygrub/", StringComparison.Ordinal))
            return $"FAILED round 2: exit {second.ExitCode} {second.Stderr.Replace('\n', ' ')}";
        return host.Vm.PvBootloader == "pygrub" && !host.Vm.OtherConfig.ContainsKey("install-distro") && !host.Vm.OtherConfig.ContainsKey("install-round")
            ? $"ok, 2 rounds ({picked})"
            : "FAILED: round 2 did not finish the install";
    }
}

namespace Eliloader.Tests.Support;

/// <summary>One row of fixtures/templates.tsv: a XenServer/XCP template whose PV-bootloader is eliloader.</summary>
public sealed record Template(string Name, string Distro, string? Arch, string? DebianRelease, IReadOnlyList<string> Methods, string PvArgs, IReadOnlyDictionary<string, string> OtherKeys)
{
    /// <summary>The other-config a VM made from this template has, plus the repository the user adds.</summary>
    public Dictionary<string, string> OtherConfig(string repository)
    {
        var keys = new Dictionary<string, string>(OtherKeys)
        {
            ["install-distro"] = Distro,
            ["install-repository"] = repository,
            ["install-methods"] = string.Join(",", Methods),
        };
        if (Arch is not null)
            keys["install-arch"] = Arch;
        if (DebianRelease is not null)
            keys["debian-release"] = DebianRelease;
        return keys;
    }
}

public static class TemplateCatalog
{
    public static IReadOnlyList<Template> All { get; } = Load();

    private static List<Template> Load() =>
        File.ReadLines(Path.Combine(RepoPaths.Root, "fixtures", "templates.tsv"))
            .Where(line => !line.StartsWith('#') && !line.StartsWith("name\t", StringComparison.Ordinal) && line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(f => new Template(
                f[0],
                f[1],
                f[2].Length > 0 ? f[2] : null,
                f[3].Length > 0 ? f[3] : null,
                f[4].Split(','),
                f[5],
                f.Length > 6 && f[6].Length > 0
                    ? f[6].Split(' ').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1])
                    : new Dictionary<string, string>()))
            .ToList();

    /// <summary>The recorded fixture tree that stands for the medium of a template's release.</summary>
    public static string FixtureTree(Template template) => template.Distro switch
    {
        "debianlike" => template.Name.StartsWith("Debian", StringComparison.Ordinal) ? "debian" : "ubuntu",
        "pygrub" => "xenapi-sdk",
        "sleslike" => template.Name switch
        {
            var n when n.Contains(" 9 ") => "sles/9-sp4-i386",
            var n when n.Contains(" 10") => $"sles/10-sp4-{template.Arch}",
            var n when n.Contains(" 11") => $"sles/11-sp4-{template.Arch}",
            var n when n.Contains(" 12") => "sles/12-sp2-x86_64",
            var n => throw new InvalidOperationException($"no SUSE fixture for {n}"),
        },
        "rhlike" => template.Name switch
        {
            var n when n.Contains(" 4.5") || n.Contains(" 4.6") => "centos/4.5/os/i386",
            var n when n.Contains(" 4.7") || n.Contains(" 4.8") => "centos/4.8/os/i386",
            var n when n.Contains(" 7 ") => "centos/7.9.2009/os/x86_64",
            var n when n.Contains(" 6") || n.StartsWith("Asianux Server 4", StringComparison.Ordinal) || n.StartsWith("GreatTurbo", StringComparison.Ordinal) => "centos/6.10/os/x86_64",
            var n when n.Contains(" 5") => "centos/5.11/os/x86_64",
            var n => throw new InvalidOperationException($"no Red Hat fixture for {n}"),
        },
        var d => throw new InvalidOperationException($"unknown distro {d}"),
    };
}

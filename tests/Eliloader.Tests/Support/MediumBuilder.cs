using System.Collections.Concurrent;

namespace Eliloader.Tests.Support;

/// <summary>
/// ISO images of install media, made at test time with xorriso (Rock Ridge and Joliet,
/// as real media carry) from fixture trees, and cached for the test run.
/// </summary>
public static class MediumBuilder
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "eliloader-media-" + Environment.ProcessId);
    private static readonly ConcurrentDictionary<string, Lazy<string>> Built = new();

    /// <summary>An image of a fixture tree (relative to fixtures/mirrors) or of any directory.</summary>
    public static string ImageOf(string tree) =>
        Built.GetOrAdd(tree, key => new Lazy<string>(() => Build(key))).Value;

    /// <summary>A Debian or Ubuntu CD: the release's netboot Xen kernel laid out as the CD keeps it.</summary>
    public static string DebianMedium(string distro, string release, string arch, string layout)
    {
        var name = $"{distro}-{release}-{arch}-{layout.Replace('/', '_')}";
        return Built.GetOrAdd(name, _ => new Lazy<string>(() =>
        {
            var tree = Path.Combine(Directory, "trees", name);
            var netboot = Path.Combine(RepoPaths.Mirrors, distro, "dists", release, "main", $"installer-{arch}", "current", "images", "netboot", "xen");
            System.IO.Directory.CreateDirectory(Path.Combine(tree, layout));
            File.Copy(Path.Combine(netboot, "vmlinuz"), Path.Combine(tree, layout, "vmlinuz"));
            File.Copy(Path.Combine(netboot, "initrd.gz"), Path.Combine(tree, layout, "initrd.gz"));
            File.WriteAllText(Path.Combine(tree, "README.txt"), $"stand-in {distro} {release} {arch} medium\n");
            return Build(tree);
        })).Value;
    }

    private static string Build(string tree)
    {
        var source = Path.IsPathRooted(tree) ? tree : Path.Combine(RepoPaths.Mirrors, tree);
        System.IO.Directory.CreateDirectory(Directory);
        var output = Path.Combine(Directory, tree.Replace('/', '_').Trim('_') + ".iso");
        var result = ProcessRunner.Run("xorriso", ["-report_about", "SORRY", "-outdev", output, "-rockridge", "on", "-joliet", "on", "-map", source, "/"]);
        if (result.ExitCode != 0)
            throw new InvalidOperationException("xorriso: " + result.Stderr);
        return output;
    }
}

namespace Eliloader.Tests.Support;

/// <summary>Copies of fixture trees under the mirror's /scratch/, so a test owns its URLs (and its access-log lines) and may change its files.</summary>
public static class MirrorTrees
{
    public const string Bookworm = "dists/bookworm/main/installer-amd64/current/images/";
    public const string Squeeze = "dists/squeeze/main/installer-amd64/current/images/";

    public static string Images(string release) => $"dists/{release}/main/installer-amd64/current/images/";

    /// <summary>The real Debian 12 tree, its files hard-linked (a test that changes one replaces it first).</summary>
    public static (string Directory, string Url) Debian12(NginxMirror mirror)
    {
        var (directory, url) = mirror.ScratchTree();
        var copy = ProcessRunner.Run("cp", ["-al", RepoPaths.Debian12Mirror + "/.", directory]);
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        return (directory, url);
    }

    /// <summary>The installer images directory of a recorded Debian release, amd64 (stand-in files and the sums lists the release published).</summary>
    public static (string Directory, string Url) Debian(NginxMirror mirror, string release)
    {
        var (directory, url) = mirror.ScratchTree();
        var images = Images(release);
        var target = Path.Combine(directory, images);
        Directory.CreateDirectory(target);
        var copy = ProcessRunner.Run("cp", ["-a", Path.Combine(RepoPaths.Mirrors, "debian", images) + ".", target]);
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        return (directory, url);
    }

    public static Dictionary<string, string> DebianVm(string repository, string release) => new()
    {
        ["install-distro"] = "debianlike",
        ["install-repository"] = repository,
        ["debian-release"] = release,
        ["install-arch"] = "amd64",
    };
}

using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>`eliloader prefetch` and `eliloader cache list | verify | prune`, run as an administrator would.</summary>
[Collection(MirrorCollection.Name)]
public sealed class PrefetchTests(NginxMirror mirror) : IDisposable
{
    private const string Template = "Debian Squeeze 6.0 (64-bit)";
    private readonly Scenario host = new();

    private string Objects => Path.Combine(host.Config["cache-dir"], "objects");

    [Fact]
    public void Prefetch_by_template_fills_the_cache_and_the_first_boot_only_revalidates()
    {
        var (_, url) = MirrorTrees.Debian(mirror, "squeeze");
        var initrd = url + MirrorTrees.Squeeze + "netboot/xen/initrd.gz";
        host.Config["temp-dir"] = host.Directory;
        // As when the boots come long after the prefetch: each asks the mirror.
        host.Config["cache-recheck-after"] = "0";
        var prefetch = host.Run("prefetch", "--template", Template, "--repository", url);
        Assert.True(prefetch.ExitCode == 0, prefetch.Stderr);
        Assert.Contains($"cached: {initrd} (", prefetch.Stdout);
        Assert.Contains($"md5 as published in {url}{MirrorTrees.Squeeze}MD5SUMS)", prefetch.Stdout);
        // Not a terminal: no progress bar.
        Assert.Equal("", prefetch.Stderr);
        Assert.Equal(2, Directory.GetFiles(Objects).Length);

        var again = host.Run("prefetch", "--template", Template, "--repository", url);
        Assert.Contains($"already cached: {initrd}", again.Stdout);

        var diagnosis = host.Run("diagnose", "--other-config", "install-distro=debianlike", "--other-config", "debian-release=squeeze",
            "--other-config", "install-arch=amd64", "--other-config", $"install-repository={url}");
        Assert.Matches($"cache: +{System.Text.RegularExpressions.Regex.Escape(initrd)}: kept since [0-9-]+ [0-9:]+Z \\([0-9]+ bytes\\); a boot revalidates it", diagnosis.Stdout);

        host.AddVm(MirrorTrees.DebianVm(url, "squeeze"));
        Assert.Equal(0, host.RunAsXenopsd().ExitCode);
        Assert.Equal(1, AccessLog.Count(mirror, initrd, "GET", 200));
        Assert.Equal(2, AccessLog.Count(mirror, initrd, "GET", 304));
        Assert.Empty(Directory.GetDirectories(host.Directory, "eliloader-*"));
    }

    [Fact]
    public void Prefetch_by_keys_names_a_missing_release_with_invalid_source()
    {
        var (_, url) = MirrorTrees.Debian(mirror, "squeeze");
        var result = host.Run("prefetch", "--distro", "debianlike", "--release", "sid", "--arch", "amd64", "--repository", url);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: {url}dists/sid/main/installer-amd64/current/images/netboot/xen/vmlinuz.\n", result.Stderr);
        Assert.Empty(Directory.GetFiles(Objects));
    }

    [Fact]
    public void A_terminal_gets_a_progress_bar_with_size_and_rate()
    {
        var (_, url) = MirrorTrees.Debian12(mirror);
        host.WriteConfig();
        // script(1) gives the command a terminal, as an administrator's ssh session would.
        var command = $"ELILOADER_CONFIG={host.ConfigPath} {RepoPaths.Binary} prefetch --distro debianlike --release bookworm --arch amd64 --repository {url}";
        var result = ProcessRunner.Run("script", ["-qec", command, "/dev/null"]);
        Assert.True(result.ExitCode == 0, result.Stdout);
        Assert.Matches(@"\rinitrd\.gz  [0-9.]+ MiB of \[#+ *\] [0-9.]+ MiB  [0-9.]+ [KMG]?i?B/s", result.Stdout);
        Assert.Contains("cached: ", result.Stdout);
    }

    [Fact]
    public void Cache_list_verify_and_prune()
    {
        var (directory, url) = MirrorTrees.Debian(mirror, "squeeze");
        Assert.Equal(0, host.Run("prefetch", "--template", Template, "--repository", url).ExitCode);
        var initrdUrl = url + MirrorTrees.Squeeze + "netboot/xen/initrd.gz";
        var size = new FileInfo(Path.Combine(directory, MirrorTrees.Squeeze, "netboot/xen/initrd.gz")).Length;

        var list = host.Run("cache", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"{initrdUrl}\n  {size} bytes, sha256 ", list.Stdout);
        Assert.Contains("2 files, ", list.Stdout);

        Assert.Equal(0, host.Run("cache", "verify").ExitCode);
        var damaged = Directory.GetFiles(Objects).Single(f => new FileInfo(f).Length == size);
        File.AppendAllText(damaged, "x");
        File.SetLastWriteTimeUtc(damaged, DateTime.UtcNow);
        var verify = host.Run("cache", "verify");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"damaged, removed: {initrdUrl}", verify.Stdout);
        Assert.False(File.Exists(damaged));

        var prune = host.Run("cache", "prune", "--all");
        Assert.Equal(0, prune.ExitCode);
        Assert.Contains("1 removed; 0 bytes kept", prune.Stdout);
        Assert.Empty(Directory.GetFiles(Objects));
    }

    [Theory]
    [InlineData("prefetch", "prefetch needs --template or --distro")]
    [InlineData("prefetch --template Nonesuch --repository http://x/", "no template is named 'Nonesuch'")]
    [InlineData("prefetch --distro debianlike", "prefetch needs --repository")]
    [InlineData("cache", "cache needs list, verify or prune")]
    [InlineData("cache shrink", "cache does not know 'shrink'")]
    [InlineData("cache prune --max-size lots", "'lots' is not a size in bytes")]
    public void Usage_errors_exit_2_and_say_why(string argv, string why)
    {
        var result = host.Run(argv.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(why, result.Stderr);
        Assert.Contains("Usage: eliloader", result.Stderr);
    }

    [Fact]
    public void Every_template_is_known_to_prefetch()
    {
        var listed = host.Run("prefetch", "--list-templates");
        Assert.Equal(TemplateCatalog.All.Select(t => t.Name), listed.Stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void The_cache_commands_say_when_the_cache_is_off()
    {
        host.Config["cache-dir"] = "";
        var result = host.Run("cache", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("RuntimeError: INTERNAL_ERROR\nThe image cache is off (cache-dir is empty in the configuration).\n", result.Stderr);
    }

    public void Dispose() => host.Dispose();
}

using System.Security.Cryptography;
using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// The image cache, through the published binary against nginx: what the mirror's
/// access log shows was downloaded, what the boot directory and the cache hold, and
/// what the cache commands say.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class CacheTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();

    private string CacheDir => host.Config["cache-dir"];

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    private (string Kernel, string Ramdisk) Boot(string uuid)
    {
        var result = host.Run("-q", "--vm", uuid, "");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var (kernel, ramdisk, _) = BootLine.ParseSxp(host, result.Stdout);
        return (kernel, ramdisk!);
    }

    /// <summary>The squeeze tree under a URL of this test's own, and two VMs (vm-one, vm-two) installing from it.</summary>
    private (string Directory, string Url) SqueezeForTwoVms()
    {
        var (directory, url) = MirrorTrees.Debian(mirror, "squeeze");
        host.AddVm(MirrorTrees.DebianVm(url, "squeeze"), "vm-one", 1);
        host.AddVm(MirrorTrees.DebianVm(url, "squeeze"), "vm-two", 2);
        return (directory, url);
    }

    private string[] CacheFiles(string part) =>
        Directory.Exists(Path.Combine(CacheDir, part)) ? Directory.GetFiles(Path.Combine(CacheDir, part)) : [];

    /// <summary>Starts the boots of the VMs named all at once and waits for every one; each must succeed.</summary>
    private List<(string Kernel, string? Ramdisk, string Args)> BootAtOnce(IEnumerable<string> uuids)
    {
        var runs = uuids.Select(uuid => new RunningEliloader(host, "-q", "--vm", uuid, "")).ToList();
        var results = runs.Select(run => run.Finish(TimeSpan.FromMinutes(5))).ToList();
        runs.ForEach(run => run.Dispose());
        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.Stderr));
        return results.Select(result => BootLine.ParseSxp(host, result.Stdout)).ToList();
    }

    /// <summary>The Debian 12 pair under a URL of this test's own, for <paramref name="count"/> VMs numbered from 1.</summary>
    private (string Xen, string Url, List<string> Uuids) Debian12ForVms(int count)
    {
        var (directory, url) = MirrorTrees.Debian12(mirror);
        var uuids = Enumerable.Range(1, count).Select(i => $"00000000-0000-4000-8000-{i:D12}").ToList();
        foreach (var (uuid, index) in uuids.Select((u, i) => (u, i)))
            host.AddVm(MirrorTrees.DebianVm(url, "bookworm"), uuid, domid: 100 + index);
        host.WriteConfig();
        return (Path.Combine(directory, MirrorTrees.Bookworm, "netboot/xen/"), url + MirrorTrees.Bookworm + "netboot/xen/", uuids);
    }

    /// <summary>GET requests for each file of the pair answered 200 and 304, as nginx logged them.</summary>
    private (int Downloads, int Checks)[] Requests(string url) =>
        [.. new[] { "vmlinuz", "initrd.gz" }.Select(file => (AccessLog.Count(mirror, url + file, "GET", 200), AccessLog.Count(mirror, url + file, "GET", 304)))];

    [Fact]
    public void Fifty_first_boots_at_once_download_each_file_once()
    {
        // Longer than any burst takes on a loaded machine: no boot of it asks the mirror again.
        host.Config["cache-recheck-after"] = "3600";
        var (xen, url, uuids) = Debian12ForVms(50);

        var handedOut = BootAtOnce(uuids);

        Assert.Equal(100, host.BootFiles().Length);
        var (kernelSum, ramdiskSum) = (Sha256(xen + "vmlinuz"), Sha256(xen + "initrd.gz"));
        Assert.All(handedOut, files =>
        {
            Assert.Equal(kernelSum, Sha256(files.Kernel));
            Assert.Equal(ramdiskSum, Sha256(files.Ramdisk!));
        });
        Assert.Equal([(1, 0), (1, 0)], Requests(url));
        Assert.Equal(new[] { kernelSum, ramdiskSum }.Order(), CacheFiles("objects").Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_burst_of_twenty_boots_asks_the_mirror_once_per_file_when_the_cache_is_warm()
    {
        host.Config["cache-recheck-after"] = "3600";
        var (xen, url, uuids) = Debian12ForVms(40);
        BootAtOnce(uuids.Take(20));
        Assert.Equal([(1, 0), (1, 0)], Requests(url));
        // The mirror last confirmed the copies long ago: the next burst must ask again, once.
        foreach (var entry in CacheFiles("entries"))
            File.WriteAllLines(entry, File.ReadAllLines(entry).Select(line => line.StartsWith("validated=") ? "validated=0" : line));

        var handedOut = BootAtOnce(uuids.Skip(20));

        Assert.Equal([(1, 1), (1, 1)], Requests(url));
        Assert.All(handedOut, files =>
        {
            Assert.Equal(File.ReadAllBytes(xen + "vmlinuz"), File.ReadAllBytes(files.Kernel));
            Assert.Equal(Sha256(xen + "initrd.gz"), Sha256(files.Ramdisk!));
        });
        Assert.Equal(40, handedOut.SelectMany(files => new[] { files.Kernel, files.Ramdisk }).Distinct().Count());
    }

    [Fact]
    public void Two_hosts_sharing_one_cache_dir_download_each_file_once()
    {
        // Two dom0s of a pool (each its own XenAPI, xenstore and boot directory) with
        // cache-dir on the same storage: the locks are on the shared files, not in a host.
        var (_, url) = MirrorTrees.Debian(mirror, "wheezy");
        using var other = new Scenario();
        other.Config["cache-dir"] = CacheDir;
        var runs = new List<RunningEliloader>();
        foreach (var (pool, index) in new[] { host, other }.SelectMany(h => Enumerable.Range(0, 10).Select(i => (h, i))))
            pool.AddVm(MirrorTrees.DebianVm(url, "wheezy"), $"vm-{index}", 10 + index);
        host.WriteConfig();
        other.WriteConfig();
        foreach (var pool in new[] { host, other })
            runs.AddRange(Enumerable.Range(0, 10).Select(i => new RunningEliloader(pool, "-q", "--vm", $"vm-{i}", "")));
        var results = runs.Select(run => run.Finish(TimeSpan.FromMinutes(2))).ToList();
        runs.ForEach(run => run.Dispose());

        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.Stderr));
        Assert.Equal((20, 20), (host.BootFiles().Length, other.BootFiles().Length));
        foreach (var file in new[] { "vmlinuz", "initrd.gz" })
            Assert.Equal(1, AccessLog.Count(mirror, url + MirrorTrees.Images("wheezy") + "netboot/xen/" + file, "GET", 200));
    }

    [Fact]
    public void A_second_boot_revalidates_and_copies_from_the_cache_never_handing_out_its_own_file()
    {
        host.Config["cache-recheck-after"] = "0";
        var (directory, url) = SqueezeForTwoVms();
        var initrd = url + MirrorTrees.Squeeze + "netboot/xen/initrd.gz";
        var first = Boot("vm-one");
        var second = Boot("vm-two");

        var mirrored = Path.Combine(directory, MirrorTrees.Squeeze, "netboot/xen/");
        foreach (var (kernel, ramdisk) in new[] { first, second })
        {
            Assert.Equal(File.ReadAllBytes(mirrored + "vmlinuz"), File.ReadAllBytes(kernel));
            Assert.Equal(File.ReadAllBytes(mirrored + "initrd.gz"), File.ReadAllBytes(ramdisk));
        }
        Assert.Equal((1, 1), (AccessLog.Count(mirror, initrd, "GET", 200), AccessLog.Count(mirror, initrd, "GET", 304)));
        // The toolstack deletes what it is handed: the cache's copy must survive that.
        File.Delete(second.Ramdisk);
        Assert.True(File.Exists(Path.Combine(CacheDir, "objects", Sha256(mirrored + "initrd.gz"))));
        Assert.Contains(host.Syslog.Drain(), line => line.Contains($"copied {initrd} from the cache"));
    }

    [Fact]
    public void A_changed_file_on_the_mirror_is_downloaded_again_and_replaces_the_old_copy()
    {
        // Within the window the copy would go out unasked, but the MD5SUMS published now contradicts it.
        host.Config["cache-recheck-after"] = "3600";
        var (directory, url) = SqueezeForTwoVms();
        var mirrored = Path.Combine(directory, MirrorTrees.Squeeze, "netboot/xen/initrd.gz");
        Boot("vm-one");
        var old = Sha256(mirrored);
        File.WriteAllText(mirrored, "a newer stand-in initrd");
        File.SetLastWriteTimeUtc(mirrored, DateTime.UtcNow.AddMinutes(1));
        ProcessRunner.Run("bash", ["-c", $"cd {Path.Combine(directory, MirrorTrees.Squeeze)} && md5sum ./netboot/xen/vmlinuz ./netboot/xen/initrd.gz > MD5SUMS"]);

        var (_, ramdisk) = Boot("vm-two");
        Assert.Equal("a newer stand-in initrd", File.ReadAllText(ramdisk));
        Assert.Equal(2, AccessLog.Count(mirror, url + MirrorTrees.Squeeze + "netboot/xen/initrd.gz", "GET", 200));
        var objects = CacheFiles("objects").Select(Path.GetFileName).ToList();
        Assert.Contains(Sha256(mirrored), objects);
        Assert.DoesNotContain(old, objects);
    }

    [Fact]
    public void A_tampered_initrd_is_refused_with_invalid_source_and_never_cached()
    {
        var (directory, url) = MirrorTrees.Debian12(mirror);
        var initrd = Path.Combine(directory, MirrorTrees.Bookworm, "netboot/xen/initrd.gz");
        var expected = Sha256(initrd);
        // Replace the hard link with a copy one byte longer; SHA256SUMS stays as published.
        var bytes = File.ReadAllBytes(initrd);
        File.Delete(initrd);
        File.WriteAllBytes(initrd, [.. bytes, 0]);
        host.AddVm(MirrorTrees.DebianVm(url, "bookworm"));

        var result = host.RunAsXenopsd();
        var initrdUrl = url + MirrorTrees.Bookworm + "netboot/xen/initrd.gz";
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nFile '{initrdUrl}' does not match the sha256 checksum published in {url}{MirrorTrees.Bookworm}SHA256SUMS: "
            + $"expected {expected}, received {Sha256(initrd)}.\n", result.Stderr);
        Assert.Empty(host.BootFiles());
        Assert.Equal("eliloader", host.Vm.PvBootloader);
        // The kernel was sound and stays cached; nothing of the initrd does, not even a partial file.
        var kernelSum = Sha256(Path.Combine(directory, MirrorTrees.Bookworm, "netboot/xen/vmlinuz"));
        Assert.Equal([kernelSum], CacheFiles("objects").Select(Path.GetFileName));
        Assert.Single(CacheFiles("entries"));
    }

    [Fact]
    public void A_damaged_cache_copy_is_noticed_and_fetched_again()
    {
        var (directory, url) = SqueezeForTwoVms();
        var mirrored = Path.Combine(directory, MirrorTrees.Squeeze, "netboot/xen/initrd.gz");
        Boot("vm-one");
        var cached = Path.Combine(CacheDir, "objects", Sha256(mirrored));
        var damaged = File.ReadAllBytes(cached);
        damaged[0] ^= 0xff;
        File.WriteAllBytes(cached, damaged);

        var (_, ramdisk) = Boot("vm-two");
        Assert.Equal(File.ReadAllBytes(mirrored), File.ReadAllBytes(ramdisk));
        Assert.Equal(File.ReadAllBytes(mirrored), File.ReadAllBytes(cached));
        Assert.Equal(2, AccessLog.Count(mirror, url + MirrorTrees.Squeeze + "netboot/xen/initrd.gz", "GET", 200));
    }

    [Fact]
    public void The_cache_stays_within_cache_max_size_least_recently_used_out_first()
    {
        var (_, squeeze) = MirrorTrees.Debian(mirror, "squeeze");
        var (_, wheezy) = MirrorTrees.Debian(mirror, "wheezy");
        host.AddVm(MirrorTrees.DebianVm(squeeze, "squeeze"), "vm-one", 1);
        host.AddVm(MirrorTrees.DebianVm(wheezy, "wheezy"), "vm-two", 2);
        Boot("vm-one");
        var squeezeBytes = Directory.GetFiles(Path.Combine(CacheDir, "objects")).Sum(f => new FileInfo(f).Length);
        host.Config["cache-max-size"] = squeezeBytes.ToString();
        Boot("vm-two");

        var listing = host.Run("cache", "list");
        Assert.Equal(0, listing.ExitCode);
        Assert.DoesNotContain(squeeze, listing.Stdout);
        Assert.Contains(wheezy + "dists/wheezy/main/installer-amd64/current/images/netboot/xen/initrd.gz", listing.Stdout);
        Assert.Contains("2 files", listing.Stdout);
        Assert.True(Directory.GetFiles(Path.Combine(CacheDir, "objects")).Sum(f => new FileInfo(f).Length) <= squeezeBytes);
    }

    [Fact]
    public void A_nearly_full_cache_disk_never_fails_a_boot_and_keeps_a_tenth_free()
    {
        // A 12 MiB tmpfs as cache-dir: the 8 MB kernel fits with a tenth to spare, the 40 MB initrd does not.
        var (_, url) = MirrorTrees.Debian12(mirror);
        Directory.CreateDirectory(CacheDir);
        var mount = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", "size=12m", "tmpfs", CacheDir]);
        Assert.True(mount.ExitCode == 0, mount.Stderr);
        try
        {
            host.AddVm(MirrorTrees.DebianVm(url, "bookworm"));
            var (kernel, ramdisk) = Boot(Scenario.VmUuid);
            Assert.Equal(Sha256(Path.Combine(RepoPaths.Debian12Mirror, MirrorTrees.Bookworm, "netboot/xen/initrd.gz")), Sha256(ramdisk));
            Assert.Equal(Sha256(Path.Combine(RepoPaths.Debian12Mirror, MirrorTrees.Bookworm, "netboot/xen/vmlinuz")), Sha256(kernel));
            Assert.Equal([Sha256(kernel)], CacheFiles("objects").Select(Path.GetFileName));
            Assert.Single(CacheFiles("entries"));
            Assert.Contains(host.Syslog.Drain(), line => line.Contains("cache: not keeping") && line.Contains("initrd.gz") && line.Contains("less than a tenth free"));
        }
        finally
        {
            ProcessRunner.Run("umount", [CacheDir]);
        }
    }

    [Fact]
    public void A_lock_held_too_long_by_a_stuck_run_means_downloading_without_the_cache()
    {
        var (directory, url) = MirrorTrees.Debian(mirror, "squeeze");
        var initrd = url + MirrorTrees.Squeeze + "netboot/xen/initrd.gz";
        host.AddVm(MirrorTrees.DebianVm(url, "squeeze"));
        host.Config["download-timeout"] = "1";
        // A stuck run: it holds the initrd's lock and never lets go.
        var locks = Path.Combine(CacheDir, "locks");
        Directory.CreateDirectory(locks);
        var lockFile = Path.Combine(locks, Sha256Text(initrd));
        using var stuck = System.Diagnostics.Process.Start("flock", ["-x", lockFile, "sleep", "60"])!;
        try
        {
            while (!File.Exists(lockFile))
                Thread.Sleep(20);
            Thread.Sleep(200);
            var (_, ramdisk) = Boot(Scenario.VmUuid);
            Assert.Equal(File.ReadAllBytes(Path.Combine(directory, MirrorTrees.Squeeze, "netboot/xen/initrd.gz")), File.ReadAllBytes(ramdisk));
            Assert.Contains(host.Syslog.Drain(), line => line.Contains($"cache: not used for {initrd}: another eliloader has held {lockFile} for 5 seconds"));
        }
        finally
        {
            stuck.Kill();
        }
    }

    private static string Sha256Text(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void An_empty_cache_dir_turns_the_cache_off()
    {
        var (_, url) = SqueezeForTwoVms();
        host.Config["cache-dir"] = "";
        Boot("vm-one");
        Boot("vm-two");
        Assert.Equal(2, AccessLog.Count(mirror, url + MirrorTrees.Squeeze + "netboot/xen/initrd.gz", "GET", 200));
        Assert.False(Directory.Exists(Path.Combine(host.Directory, "cache")));
    }

    public void Dispose() => host.Dispose();
}

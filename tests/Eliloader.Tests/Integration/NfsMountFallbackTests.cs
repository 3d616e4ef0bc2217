using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// The fallback nfs-client = mount: NFS repositories through the configured mount
/// command (a stand-in that bind-mounts a local tree): the three URL forms, read-only
/// mounts, and nothing left mounted or on disk afterwards, whatever happened.
/// </summary>
public sealed class NfsMountFallbackTests : IDisposable
{
    private readonly Scenario host = new();
    private StandInMount mount;
    private static readonly string Centos5 = Path.Combine(RepoPaths.Mirrors, "centos/5.11/os/x86_64");

    public NfsMountFallbackTests() => mount = new StandInMount(host);

    [Fact]
    public void Sigterm_while_mounting_unmounts_and_removes_the_mount_point()
    {
        mount = new StandInMount(host, lingerSeconds: 30);
        host.AddVm(new() { ["install-distro"] = "rhlike", ["install-repository"] = $"nfs:nfs.example:{Centos5}" });
        using var running = new RunningEliloader(host, "-q", "--vm", Scenario.VmUuid, "");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (mount.LiveMounts().Length == 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.NotEmpty(mount.LiveMounts());
        Assert.NotEqual(0, running.Terminate());
        AssertNothingLeft();
        Assert.Contains(host.Syslog.Drain(), m => m.Contains("cleanup: unmounted " + mount.TempDir));
    }

    private ProcessResult Install(string repository, string distro = "rhlike")
    {
        host.AddVm(new() { ["install-distro"] = distro, ["install-repository"] = repository });
        return host.RunAsXenopsd();
    }

    private void AssertNothingLeft()
    {
        Assert.Empty(mount.LiveMounts());
        Assert.Empty(Directory.GetFileSystemEntries(mount.TempDir));
    }

    [Theory]
    [InlineData("nfs:nfs.example:{0}")]
    [InlineData("nfs://nfs.example{0}")]
    [InlineData("nfs://nfs.example:{0}/")]
    public void Each_url_form_mounts_read_only_and_installs(string form)
    {
        var repository = string.Format(form, Centos5);
        var result = Install(repository);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(Centos5, "images/xen/vmlinuz"), Path.Combine(Centos5, "images/xen/initrd.img"));
        Assert.Equal($" method={repository.TrimEnd('/')}/", line.Args);
        var call = Assert.Single(mount.Calls("mount")).Split('|');
        Assert.Equal(["-t", "nfs", "-o", "ro,nosuid,nodev", $"nfs.example:{Centos5}"], call[..5]);
        Assert.StartsWith(Path.Combine(mount.TempDir, "nfs-repo-"), call[5]);
        Assert.Equal([call[5]], mount.Calls("umount"));
        AssertNothingLeft();
    }

    [Theory]
    [InlineData("nfs:nfs.example:relative/path", "Directory part of NFS path was not an absolute path.")]
    [InlineData("nfs://nfs.example", "NFS path was not in a valid format")]
    [InlineData("nfs:nfs.example", "NFS path was not in a valid format")]
    [InlineData("nfs:-oremount:/srv", "NFS path was not in a valid format")]
    [InlineData("nfs:server name:/srv", "NFS path was not in a valid format")]
    public void A_bad_nfs_path_is_invalid_source_and_mounts_nothing(string repository, string message)
    {
        var result = Install(repository);
        Assert.Equal($"RuntimeError: INVALID_SOURCE\n{message}\n", result.Stderr);
        Assert.Empty(mount.Calls("mount"));
        AssertNothingLeft();
    }

    [Fact]
    public void A_failed_mount_is_invalid_source_and_leaves_no_directory()
    {
        var result = Install("nfs:nfs.example:/no/such/export");
        Assert.Equal("RuntimeError: INVALID_SOURCE\nnfs repo nfs:nfs.example:/no/such/export\n", result.Stderr);
        Assert.Single(mount.Calls("mount"));
        AssertNothingLeft();
    }

    [Fact]
    public void A_mount_that_hangs_is_killed_after_download_timeout_and_undone()
    {
        // The stand-in mounts, then hangs as mount.nfs does on a dead server.
        mount = new StandInMount(host, lingerSeconds: 60);
        host.Config["download-timeout"] = "2";
        var started = DateTime.UtcNow;
        var result = Install($"nfs:nfs.example:{Centos5}");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the hung mount held the VM start");
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nnfs repo nfs:nfs.example:{Centos5}\n", result.Stderr);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains("did not finish within 2 seconds"));
        AssertNothingLeft();
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void A_missing_file_unmounts_before_failing()
    {
        var empty = Path.Combine(host.Directory, "empty-export");
        Directory.CreateDirectory(empty);
        var result = Install($"nfs:nfs.example:{empty}");
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: nfs:nfs.example:{empty}/isolinux/vmlinuz.\n", result.Stderr);
        AssertNothingLeft();
        Assert.Empty(host.BootFiles());
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../../../../../../../etc/passwd")]
    public void Symlinks_out_of_the_tree_are_not_followed(string target)
    {
        var tree = Path.Combine(host.Directory, "hostile-export");
        Directory.CreateDirectory(Path.Combine(tree, "isolinux"));
        File.CreateSymbolicLink(Path.Combine(tree, "isolinux/vmlinuz"), target);
        File.WriteAllText(Path.Combine(tree, "isolinux/initrd.img"), "initrd");
        var result = Install($"nfs:nfs.example:{tree}");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("RuntimeError: INVALID_SOURCE\n", result.Stderr);
        Assert.Empty(host.BootFiles());
        AssertNothingLeft();
    }

    [Fact]
    public void Symlinks_inside_the_tree_are_followed()
    {
        var tree = Path.Combine(host.Directory, "linked-export");
        Directory.CreateDirectory(Path.Combine(tree, "images/pxeboot"));
        File.WriteAllText(Path.Combine(tree, "images/pxeboot/vmlinuz"), "kernel");
        File.WriteAllText(Path.Combine(tree, "images/pxeboot/initrd.img"), "initrd");
        Directory.CreateSymbolicLink(Path.Combine(tree, "isolinux"), "images/pxeboot");
        var result = Install($"nfs:nfs.example:{tree}");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        Assert.Equal("kernel", File.ReadAllText(line.Kernel));
        AssertNothingLeft();
    }

    [Fact]
    public void A_fifo_in_the_tree_is_refused_instead_of_hanging()
    {
        var tree = Path.Combine(host.Directory, "fifo-export");
        Directory.CreateDirectory(Path.Combine(tree, "isolinux"));
        Assert.Equal(0, ProcessRunner.Run("mkfifo", [Path.Combine(tree, "isolinux/vmlinuz")]).ExitCode);
        File.WriteAllText(Path.Combine(tree, "isolinux/initrd.img"), "initrd");
        var result = Install($"nfs:nfs.example:{tree}");
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: nfs:nfs.example:{tree}/isolinux/vmlinuz.\n", result.Stderr);
        AssertNothingLeft();
    }

    public void Dispose()
    {
        foreach (var live in mount.LiveMounts().Reverse())
            ProcessRunner.Run("/bin/umount", ["-l", live]);
        host.Dispose();
    }
}

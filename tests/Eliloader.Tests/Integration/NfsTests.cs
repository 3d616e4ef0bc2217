using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// NFS repositories read in process (nfs-client = builtin, the default) from a real
/// nfs-ganesha on 127.0.0.1: every URL form, bytes checked against the files, paths held
/// inside the export, the cache's validators, and never a mount or a temporary directory.
/// nfs-ls and nfs-cat (libnfs) check independently what the server exports.
/// </summary>
[Collection(NfsCollection.Name)]
public sealed class NfsTests(NfsExports nfs) : IClassFixture<NfsExports>, IDisposable
{
    private readonly Scenario host = NfsScenario.Create();
    private static readonly string Centos5 = Path.Combine(RepoPaths.Mirrors, "centos/5.11/os/x86_64");

    [Theory]
    [InlineData("nfs:127.0.0.1:{0}")]
    [InlineData("nfs://127.0.0.1{0}")]
    [InlineData("nfs://127.0.0.1:{0}/")]
    public void Each_url_form_installs_from_the_server(string form)
    {
        Assert.Contains(" vmlinuz\n", nfs.Server.List(Centos5 + "/images/xen"));
        var repository = string.Format(form, Centos5);
        var result = NfsScenario.Install(host, repository);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(Centos5, "images/xen/vmlinuz"), Path.Combine(Centos5, "images/xen/initrd.img"));
        Assert.Equal(nfs.Server.Cat(Centos5 + "/images/xen/initrd.img"), File.ReadAllBytes(line.Ramdisk!));
        Assert.Equal($" method={repository.TrimEnd('/')}/", line.Args);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"NFS: 127.0.0.1:{Centos5} over NFSv4.0, 127.0.0.1 port 2049"));
        NfsScenario.AssertNothingLeft(host, failed: false);
    }

    [Fact]
    public void A_200_MB_ramdisk_arrives_byte_for_byte()
    {
        var tree = nfs.Tree();
        File.WriteAllText(Path.Combine(tree, "isolinux/vmlinuz").EnsureDirectory(), "kernel");
        var sha = NfsExports.WriteRandom(Path.Combine(tree, "isolinux/initrd.img"), 200, seed: 11);
        Assert.Contains($" {200 << 20} initrd.img\n", nfs.Server.List(tree + "/isolinux"));
        NfsScenario.RaiseRamdiskLimit(host);
        var result = NfsScenario.Install(host, $"nfs:127.0.0.1:{tree}");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        Assert.Equal(200L << 20, new FileInfo(line.Ramdisk!).Length);
        Assert.Equal(sha, NfsExports.Sha256Of(line.Ramdisk!));
    }

    [Fact]
    public void An_export_that_does_not_exist_is_invalid_source()
    {
        var result = NfsScenario.Install(host, "nfs:127.0.0.1:/no/such/export");
        Assert.StartsWith("RuntimeError: INVALID_SOURCE\nnfs repo nfs:127.0.0.1:/no/such/export: MNT failed: ", result.Stderr);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains("not over NFSv4.0") && m.Contains("trying NFSv3"));
        NfsScenario.AssertNothingLeft(host);
    }

    [Fact]
    public void A_directory_the_server_does_not_export_is_invalid_source()
    {
        var notExported = Path.Combine(RepoPaths.Root, "src");
        Assert.NotEqual(0, ProcessRunner.Run("/usr/bin/nfs-ls", [$"nfs://127.0.0.1{notExported}"]).ExitCode);
        var result = NfsScenario.Install(host, $"nfs://127.0.0.1{notExported}");
        Assert.StartsWith($"RuntimeError: INVALID_SOURCE\nnfs repo nfs://127.0.0.1{notExported}: MNT failed: ", result.Stderr);
        NfsScenario.AssertNothingLeft(host);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../../../../../../../etc/passwd")]
    [InlineData("../../outside")]
    public void Symlinks_out_of_the_export_are_not_followed(string target)
    {
        var tree = nfs.Tree();
        File.WriteAllText(Path.Combine(tree, "outside"), "not in the tree");
        var inside = Path.Combine(tree, "repo");
        Directory.CreateDirectory(Path.Combine(inside, "isolinux"));
        File.CreateSymbolicLink(Path.Combine(inside, "isolinux/vmlinuz"), target);
        File.WriteAllText(Path.Combine(inside, "isolinux/initrd.img"), "initrd");
        Assert.Contains("vmlinuz", nfs.Server.List(inside + "/isolinux"));
        var result = NfsScenario.Install(host, $"nfs:127.0.0.1:{inside}");
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: nfs:127.0.0.1:{inside}/isolinux/vmlinuz.\n", result.Stderr);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains("treated as missing"));
        NfsScenario.AssertNothingLeft(host);
    }

    [Fact]
    public void Symlinks_inside_the_export_are_followed()
    {
        var tree = nfs.Tree();
        File.WriteAllText(Path.Combine(tree, "images/pxeboot/vmlinuz").EnsureDirectory(), "kernel");
        File.WriteAllText(Path.Combine(tree, "images/pxeboot/initrd.img"), "initrd");
        Directory.CreateSymbolicLink(Path.Combine(tree, "isolinux"), "images/../images/pxeboot");
        var result = NfsScenario.Install(host, $"nfs:127.0.0.1:{tree}");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        Assert.Equal("kernel", File.ReadAllText(line.Kernel));
        Assert.Equal("initrd", File.ReadAllText(line.Ramdisk!));
    }

    [Fact]
    public void A_fifo_in_the_export_is_refused()
    {
        var tree = nfs.Tree();
        Directory.CreateDirectory(Path.Combine(tree, "isolinux"));
        Assert.Equal(0, ProcessRunner.Run("mkfifo", [Path.Combine(tree, "isolinux/vmlinuz")]).ExitCode);
        File.WriteAllText(Path.Combine(tree, "isolinux/initrd.img"), "initrd");
        var result = NfsScenario.Install(host, $"nfs:127.0.0.1:{tree}");
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: nfs:127.0.0.1:{tree}/isolinux/vmlinuz.\n", result.Stderr);
        NfsScenario.AssertNothingLeft(host);
    }

    [Fact]
    public void The_cache_keeps_a_file_until_its_change_time_or_size_changes()
    {
        // Every boot asks the server: the change made between two boots, seconds apart, must be seen.
        host.Config["cache-recheck-after"] = "0";
        var tree = nfs.Tree();
        File.WriteAllText(Path.Combine(tree, "isolinux/vmlinuz").EnsureDirectory(), "kernel one");
        File.WriteAllText(Path.Combine(tree, "isolinux/initrd.img"), "initrd");
        var repository = $"nfs:127.0.0.1:{tree}";
        Assert.Equal(0, NfsScenario.Install(host, repository).ExitCode);
        host.Syslog.Drain();
        var second = NfsScenario.Install(host, repository);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"copied {repository}/isolinux/vmlinuz from the cache"));
        File.WriteAllText(Path.Combine(tree, "isolinux/vmlinuz"), "kernel two");
        var third = NfsScenario.Install(host, repository);
        Assert.Equal(0, third.ExitCode);
        Assert.Equal("kernel two", File.ReadAllText(BootLine.ParseSxp(host, third.Stdout).Kernel));
    }

    [Fact]
    public void Diagnose_shows_the_protocol_version()
    {
        host.WriteConfig();
        var result = host.Run("diagnose", "--other-config", "install-distro=rhlike", "--other-config", $"install-repository=nfs:127.0.0.1:{Centos5}");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("connection:  NFSv4.0, 127.0.0.1 port 2049", result.Stdout);
        NfsScenario.AssertNothingLeft(host);
    }

    public void Dispose() => host.Dispose();
}

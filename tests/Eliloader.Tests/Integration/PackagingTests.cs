using System.Text.RegularExpressions;
using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// The three artefacts of `make package`: what they hold, and that installing then
/// removing each leaves the previous /usr/bin/eliloader (a stand-in Python loader)
/// in place byte for byte.
/// </summary>
public sealed partial class PackagingTests : IDisposable
{
    private static readonly string Version = VersionPattern().Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"))).Groups[1].Value;
    private static string Dist(string name) => Path.Combine(RepoPaths.Root, "dist", name);
    private static string Rpm => Dist($"eliloader-{Version}-1.x86_64.rpm");
    private static string Deb => Dist($"eliloader_{Version}_amd64.deb");
    private static string Tarball => Dist($"eliloader-{Version}-linux-x86_64.tar.gz");

    private readonly string root = Path.Combine("/tmp", "elp-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly byte[] pythonLoader = [.. "#!/usr/bin/python\n# linux-guest-loader's eliloader, stand-in\n"u8, .. Guid.NewGuid().ToByteArray()];

    [GeneratedRegex("<Version>(.*)</Version>")]
    private static partial Regex VersionPattern();

    private static ProcessResult Must(string program, params string[] args)
    {
        var result = ProcessRunner.Run(program, args);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(" ", args)}: {result.Stderr}{result.Stdout}");
        return result;
    }

    /// <summary>How long dpkg waits for another process's lock: an apt run of someone else on this machine ends within it.</summary>
    private static readonly TimeSpan DpkgLockWait = TimeSpan.FromMinutes(5);

    /// <summary>
    /// dpkg, once it can have its lock: another process's apt or dpkg on the same machine
    /// is waited for, up to <paramref name="bound"/>, and only then is the test failed,
    /// naming the lock's holder.
    /// </summary>
    private static ProcessResult Dpkg(TimeSpan bound, params string[] args)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var result = ProcessRunner.Run("dpkg", args);
            var locked = result.Stderr.Contains("lock was locked by another process") || result.Stderr.Contains("database is locked by another process");
            if (!locked)
            {
                Assert.True(result.ExitCode == 0, $"dpkg {string.Join(" ", args)}: {result.Stderr}{result.Stdout}");
                return result;
            }
            if (DateTime.UtcNow >= deadline)
                Assert.Fail($"dpkg {string.Join(" ", args)}: its lock stayed held for {bound.TotalSeconds:0} seconds by {DpkgLockHolders()}");
            Thread.Sleep(500);
        }
    }

    private static ProcessResult Dpkg(params string[] args) => Dpkg(DpkgLockWait, args);

    /// <summary>The processes holding dpkg's locks, as lslocks names them.</summary>
    private static string DpkgLockHolders()
    {
        var holders = ProcessRunner.Run("lslocks", ["--noheadings", "--raw", "--output", "COMMAND,PID,PATH"]).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains("/var/lib/dpkg/lock"))
            .Select(line => line.Split(' ') is [var command, var pid, ..] ? $"{command} (pid {pid})" : line)
            .Distinct()
            .ToList();
        return holders.Count > 0 ? string.Join(", ", holders) : "a process lslocks does not show";
    }

    /// <summary>A throwaway root with a static busybox for the package scripts and the stand-in Python loader.</summary>
    private void MakeRoot()
    {
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/busybox", Path.Combine(root, "bin/busybox"));
        foreach (var applet in new[] { "sh", "mv", "ln", "rm", "mkdir", "rmdir", "readlink", "dirname", "[", "test", "cat" })
            File.CreateSymbolicLink(Path.Combine(root, "bin", applet), "busybox");
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        File.WriteAllBytes(Path.Combine(root, "usr/bin/eliloader"), pythonLoader);
    }

    private void AssertTakenOver()
    {
        var link = new FileInfo(Path.Combine(root, "usr/bin/eliloader"));
        Assert.Equal("/usr/libexec/eliloader/eliloader", link.LinkTarget);
        Assert.Equal(pythonLoader, File.ReadAllBytes(Path.Combine(root, "var/lib/eliloader/eliloader.orig")));
        Assert.Equal(File.ReadAllBytes(RepoPaths.Binary), File.ReadAllBytes(Path.Combine(root, "usr/libexec/eliloader/eliloader")));
        var version = Must("chroot", root, "/usr/bin/eliloader", "--version");
        Assert.Equal($"eliloader {Version}\n", version.Stdout);
    }

    private void AssertGivenBack()
    {
        var restored = new FileInfo(Path.Combine(root, "usr/bin/eliloader"));
        Assert.Null(restored.LinkTarget);
        Assert.Equal(pythonLoader, File.ReadAllBytes(restored.FullName));
        Assert.False(File.Exists(Path.Combine(root, "usr/libexec/eliloader/eliloader")));
        Assert.False(File.Exists(Path.Combine(root, "var/lib/eliloader/eliloader.orig")));
    }

    [Fact]
    public void The_rpm_holds_binary_config_man_page_and_cache()
    {
        var files = Must("rpm", "-qlp", Rpm).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["/etc/eliloader", "/etc/eliloader.conf", "/etc/eliloader/keyrings", "/etc/eliloader/keyrings/debian-archive-keyring.gpg",
            "/etc/eliloader/keyrings/debian-archive-removed-keys.gpg", "/usr/libexec/eliloader/eliloader", "/usr/libexec/eliloader/takeover",
            "/usr/share/man/man1/eliloader.1.gz", "/var/cache/eliloader"], files);
        Assert.Contains("/etc/eliloader.conf", Must("rpm", "-qcp", Rpm).Stdout);
    }

    [Fact]
    public void The_rpm_takes_over_the_python_loader_and_gives_it_back()
    {
        MakeRoot();
        Must("rpm", "--root", root, "--initdb");
        Must("rpm", "--root", root, "--nodeps", "-i", Rpm);
        AssertTakenOver();
        Assert.True(File.Exists(Path.Combine(root, "usr/share/man/man1/eliloader.1.gz")));
        Assert.True(Directory.Exists(Path.Combine(root, "var/cache/eliloader")));
        Assert.Contains("# output-format = auto", File.ReadAllText(Path.Combine(root, "etc/eliloader.conf")));

        Must("rpm", "--root", root, "-e", "eliloader");
        AssertGivenBack();
    }

    /// <summary>A stand-in linux-guest-loader RPM of the given version that owns /usr/bin/eliloader.</summary>
    private string GuestLoaderRpm(string version)
    {
        var top = Path.Combine(root, "rpmbuild-" + version);
        Directory.CreateDirectory(Path.Combine(top, "SPECS"));
        var spec = Path.Combine(top, "SPECS", "linux-guest-loader.spec");
        File.WriteAllText(spec, $$"""
            Name: linux-guest-loader
            Version: {{version}}
            Release: 1
            Summary: stand-in for XenServer's Python eliloader
            License: GPL
            BuildArch: noarch
            %description
            A stand-in that owns /usr/bin/eliloader, as XenServer's package does.
            %install
            mkdir -p %{buildroot}/usr/bin
            printf '#!/usr/bin/python\n# linux-guest-loader {{version}}\n' > %{buildroot}/usr/bin/eliloader
            chmod 755 %{buildroot}/usr/bin/eliloader
            %files
            /usr/bin/eliloader
            """);
        Must("rpmbuild", "-bb", "--quiet", "--define", $"_topdir {top}", spec);
        return Path.Combine(top, "RPMS", "noarch", $"linux-guest-loader-{version}-1.noarch.rpm");
    }

    [Fact]
    public void An_update_of_linux_guest_loader_is_taken_over_again_by_the_trigger()
    {
        MakeRoot();
        File.Delete(Path.Combine(root, "usr/bin/eliloader"));
        Must("rpm", "--root", root, "--initdb");
        Must("rpm", "--root", root, "--nodeps", "-i", GuestLoaderRpm("2.0"));
        Must("rpm", "--root", root, "--nodeps", "-i", Rpm);
        Assert.Equal("/usr/libexec/eliloader/eliloader", new FileInfo(Path.Combine(root, "usr/bin/eliloader")).LinkTarget);

        // The update writes its own /usr/bin/eliloader over our link; the trigger saves it and links ours again.
        Must("rpm", "--root", root, "--nodeps", "-U", GuestLoaderRpm("2.1"));
        Assert.Equal("/usr/libexec/eliloader/eliloader", new FileInfo(Path.Combine(root, "usr/bin/eliloader")).LinkTarget);
        Assert.Equal("#!/usr/bin/python\n# linux-guest-loader 2.1\n", File.ReadAllText(Path.Combine(root, "var/lib/eliloader/eliloader.orig")));
        Assert.Equal($"eliloader {Version}\n", Must("chroot", root, "/usr/bin/eliloader", "--version").Stdout);

        Must("rpm", "--root", root, "-e", "eliloader");
        Assert.Equal("#!/usr/bin/python\n# linux-guest-loader 2.1\n", File.ReadAllText(Path.Combine(root, "usr/bin/eliloader")));
        Assert.Null(new FileInfo(Path.Combine(root, "usr/bin/eliloader")).LinkTarget);
    }

    [Fact]
    public void The_deb_holds_binary_config_man_page_and_cache()
    {
        var listing = Must("dpkg", "-c", Deb).Stdout;
        foreach (var path in new[] { "./usr/bin/eliloader", "./etc/eliloader.conf", "./usr/share/man/man1/eliloader.1.gz", "./var/cache/eliloader/",
            "./etc/eliloader/keyrings/debian-archive-keyring.gpg", "./etc/eliloader/keyrings/debian-archive-removed-keys.gpg" })
            Assert.Contains(path, listing);
        Assert.Equal("/etc/eliloader.conf\n", Must("dpkg-deb", "--info", Deb, "conffiles").Stdout);
        var unpacked = Path.Combine(root, "deb");
        Directory.CreateDirectory(unpacked);
        Must("dpkg-deb", "-x", Deb, unpacked);
        Assert.Contains("\nguest-installer-dir = /usr/share/xcp/packages/files/guest-installer\n", File.ReadAllText(Path.Combine(unpacked, "etc/eliloader.conf")));
        // The keys are Debian's own, byte for byte, and the packaged binary reads them.
        Assert.Equal(File.ReadAllBytes("/usr/share/keyrings/debian-archive-keyring.gpg"), File.ReadAllBytes(Path.Combine(unpacked, "etc/eliloader/keyrings/debian-archive-keyring.gpg")));
        var config = Path.Combine(root, "keys.conf");
        File.WriteAllText(config, $"keyring-dir = {unpacked}/etc/eliloader/keyrings\nsyslog-socket = {root}/no-syslog\n");
        var listed = ProcessRunner.Run(Path.Combine(unpacked, "usr/bin/eliloader"), ["keys", "list"], new Dictionary<string, string> { ["ELILOADER_CONFIG"] = config });
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        var keys = listed.Stdout;
        Assert.Contains("  uid   Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>\n", keys);
        Assert.Contains("debian-archive-removed-keys.gpg:\n  pub   ", keys);
        Assert.Contains("  uid   Debian Archive Automatic Signing Key (5.0/lenny) <ftpmaster@debian.org>\n", keys);
    }

    [Fact]
    public void The_deb_diverts_the_previous_loader_and_puts_it_back()
    {
        const string bin = "/usr/bin/eliloader";
        Assert.False(File.Exists(bin), "this machine already has /usr/bin/eliloader");
        File.WriteAllBytes(bin, pythonLoader);
        try
        {
            Dpkg("-i", Deb);
            Assert.Equal($"eliloader {Version}\n", Must(bin, "--version").Stdout);
            Assert.Equal(pythonLoader, File.ReadAllBytes("/usr/bin/eliloader.distrib"));
            Assert.Contains("diversion of /usr/bin/eliloader to /usr/bin/eliloader.distrib by eliloader", Must("dpkg-divert", "--list", bin).Stdout);

            Dpkg("-P", "eliloader");
            Assert.Equal(pythonLoader, File.ReadAllBytes(bin));
            Assert.False(File.Exists("/usr/bin/eliloader.distrib"));
            Assert.Equal("", Must("dpkg-divert", "--list", bin).Stdout);
        }
        finally
        {
            ProcessRunner.Run("dpkg", ["-P", "eliloader"]);
            File.Delete(bin);
        }
    }

    /// <summary>Holds dpkg's frontend lock, as apt does, from another process for a while.</summary>
    private static System.Diagnostics.Process HoldDpkgLock(int seconds)
    {
        var holder = System.Diagnostics.Process.Start("/usr/bin/python3",
            ["-c", $"import fcntl,time,sys; f=open('/var/lib/dpkg/lock-frontend','w'); fcntl.lockf(f, fcntl.LOCK_EX); time.sleep({seconds})"]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!DpkgLockHolders().Contains($"pid {holder.Id}") && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        return holder;
    }

    [Fact]
    public void Dpkg_waits_for_another_process_holding_its_lock()
    {
        using var holder = HoldDpkgLock(3);
        var started = DateTime.UtcNow;
        // Removing a package that is not installed still takes the lock.
        Dpkg("-P", "eliloader-not-installed");
        Assert.True(holder.HasExited, "dpkg ran while another process held its lock");
        Assert.True(DateTime.UtcNow - started > TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Dpkg_names_the_lock_holder_when_the_wait_is_too_long()
    {
        using var holder = HoldDpkgLock(30);
        try
        {
            var failure = Assert.Throws<Xunit.Sdk.FailException>(() => Dpkg(TimeSpan.FromSeconds(2), "-P", "eliloader-not-installed"));
            Assert.Contains($"(pid {holder.Id})", failure.Message);
            Assert.Contains("python3", failure.Message);
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
    }

    [Fact]
    public void The_tarball_installs_and_uninstalls_below_a_root()
    {
        MakeRoot();
        var unpacked = Path.Combine(root, "..", Path.GetFileName(root) + "-tar");
        Directory.CreateDirectory(unpacked);
        try
        {
            Must("tar", "-C", unpacked, "-xzf", Tarball);
            var scripts = Path.Combine(unpacked, $"eliloader-{Version}");
            var environment = new Dictionary<string, string> { ["DESTDIR"] = root };
            Assert.Equal(0, ProcessRunner.Run(Path.Combine(scripts, "install.sh"), [], environment).ExitCode);
            AssertTakenOver();
            var keyring = Path.Combine(root, "etc/eliloader/keyrings/debian-archive-removed-keys.gpg");
            Assert.Equal(File.ReadAllBytes("/usr/share/keyrings/debian-archive-removed-keys.gpg"), File.ReadAllBytes(keyring));
            Assert.Equal(0, ProcessRunner.Run(Path.Combine(scripts, "uninstall.sh"), [], environment).ExitCode);
            AssertGivenBack();
            Assert.False(File.Exists(keyring));
            Assert.True(File.Exists(Path.Combine(root, "etc/eliloader.conf")), "the configuration stays");
        }
        finally
        {
            Directory.Delete(unpacked, recursive: true);
        }
    }

    [Fact]
    public void The_packaged_binary_runs_in_an_empty_chroot()
    {
        Directory.CreateDirectory(root);
        Must("dpkg-deb", "-x", Deb, root);
        var empty = Path.Combine(root, "empty");
        Directory.CreateDirectory(empty);
        File.Copy(Path.Combine(root, "usr/bin/eliloader"), Path.Combine(empty, "eliloader"));
        File.SetUnixFileMode(Path.Combine(empty, "eliloader"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal($"eliloader {Version}\n", Must("chroot", empty, "/eliloader", "--version").Stdout);
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }
}

using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>The binary must run on a CentOS 7 dom0 (glibc 2.17): it needs no libc at all.</summary>
public sealed class StaticBinaryTests
{
    [Fact]
    public void File_says_static()
    {
        var result = ProcessRunner.Run("file", ["-b", RepoPaths.Binary]);
        Assert.Matches("static(-pie)? linked", result.Stdout);
        Assert.DoesNotContain("interpreter", result.Stdout);
    }

    [Fact]
    public void Answers_version_and_help_inside_an_empty_chroot()
    {
        var root = Path.Combine("/tmp", "elc-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        try
        {
            File.Copy(RepoPaths.Binary, Path.Combine(root, "eliloader"));
            File.SetUnixFileMode(Path.Combine(root, "eliloader"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
            Assert.Equal(0, ProcessRunner.Run("mknod", ["-m", "666", Path.Combine(root, "dev/null"), "c", "1", "3"]).ExitCode);
            Assert.Equal(["dev", "eliloader"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order());

            var version = ProcessRunner.Run("chroot", [root, "/eliloader", "--version"]);
            Assert.Equal("", version.Stderr);
            Assert.Equal(0, version.ExitCode);
            Assert.Matches(@"^eliloader \d+\.\d+\.\d+\n$", version.Stdout);

            var help = ProcessRunner.Run("chroot", [root, "/eliloader", "--help"]);
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("Usage: eliloader [-q] --vm <uuid>", help.Stdout);

            // No xapi in an empty root: the error path works there too.
            var boot = ProcessRunner.Run("chroot", [root, "/eliloader", "-q", "--vm", "u", ""]);
            Assert.Equal(1, boot.ExitCode);
            Assert.StartsWith("RuntimeError: INTERNAL_ERROR\n", boot.Stderr);
            Assert.Contains("/var/lib/xcp/xapi", boot.Stderr);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

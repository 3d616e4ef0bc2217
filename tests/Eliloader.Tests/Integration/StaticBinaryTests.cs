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

    /// <summary>
    /// The shell gives every command of a group one file description: each must move its
    /// offset, or the next command's output lands on top of what came before.
    /// </summary>
    [Fact]
    public void Version_and_help_move_the_offset_of_a_file_the_shell_shares()
    {
        var file = Path.Combine(Path.GetTempPath(), "eliloader-shared-offset-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var shell = ProcessRunner.Run("bash", ["-c", "{ echo A; \"$0\" --version; echo B; \"$0\" --help; echo C; } > \"$1\"", RepoPaths.Binary, file]);
            Assert.Equal(0, shell.ExitCode);
            var version = ProcessRunner.Run(RepoPaths.Binary, ["--version"]).Stdout;
            var help = ProcessRunner.Run(RepoPaths.Binary, ["--help"]).Stdout;
            Assert.StartsWith("eliloader ", version);
            Assert.StartsWith("Usage: eliloader", help);
            Assert.Equal("A\n" + version + "B\n" + help + "C\n", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

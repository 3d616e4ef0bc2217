using Eliloader.Tests.Support;

namespace Eliloader.Faults.Harness;

/// <summary>bash for preparing inputs with the reference tools (compressors, mke2fs, debugfs, xorriso, mount).</summary>
public static class Shell
{
    public static string Run(string script)
    {
        var result = ProcessRunner.Run("bash", ["-euo", "pipefail", "-c", script], timeout: TimeSpan.FromMinutes(2));
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"{script}\nfailed: {result.Stderr}");
    }
}

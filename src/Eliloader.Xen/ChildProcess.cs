using System.Diagnostics;
using System.Text;

namespace Eliloader.Xen;

/// <summary>What one run of a dom0 helper (pygrub, mount, umount) printed and how it ended.</summary>
public sealed record ChildResult(int ExitCode, string Stdout, string Stderr);

/// <summary>The helper could not be started, or did not finish in time.</summary>
public sealed class ChildProcessException(string message) : Exception(message);

/// <summary>
/// Runs a dom0 helper to completion with no standard input. What it prints may come
/// from a guest's disk, so each stream is kept only up to a bound (and drained past it,
/// so the helper never blocks on a full pipe), and the run is bounded in time.
/// </summary>
public static class ChildProcess
{
    private const int MaxOutputChars = 1 << 20;

    public static ChildResult Run(string program, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ChildProcessException($"Could not run {program}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ChildProcessException($"Could not run {program}: {e.Message}.");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = ReadBounded(process.StandardOutput);
            var stderr = ReadBounded(process.StandardError);
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ChildProcessException($"{program} {string.Join(" ", args)} did not finish within {timeout.TotalSeconds:0} seconds.");
            }
            return new ChildResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }

    private static async Task<string> ReadBounded(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length < MaxOutputChars)
                text.Append(buffer, 0, Math.Min(read, MaxOutputChars - text.Length));
        }
        return text.ToString();
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Eliloader.Xen.Pygrub;

/// <summary>What one pygrub run printed and how it ended.</summary>
public sealed record PygrubResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs pygrub on the installed system's disk. Its output comes from the guest's
/// filesystem, so it is bounded in size and time. When the caller expects the simple
/// boot format, every call carries --output-format=simple.
/// </summary>
public sealed partial class PygrubRunner(string path, bool simpleFormat, TimeSpan timeout, Action<string> log)
{
    private const int MaxOutputChars = 1 << 20;
    public const string SimpleFormatOption = "--output-format=simple";

    public string Path { get; } = path;

    /// <summary>The arguments pygrub gets in front of the caller's own.</summary>
    public IReadOnlyList<string> WithFormat(IEnumerable<string> args) =>
        simpleFormat ? [SimpleFormatOption, .. args] : [.. args];

    /// <summary>Runs pygrub with these arguments, behind the caller's output format.</summary>
    public PygrubResult Run(params string[] args) => RunExactly(WithFormat(args));

    /// <summary>Runs pygrub with exactly these arguments.</summary>
    public PygrubResult RunExactly(IReadOnlyList<string> argv)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv)
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PygrubFailure($"Could not run {Path}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PygrubFailure($"Could not run {Path}: {e.Message}.");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = ReadBounded(process.StandardOutput);
            var stderr = ReadBounded(process.StandardError);
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new PygrubFailure($"{Path} {string.Join(" ", argv)} did not finish within {timeout.TotalSeconds:0} seconds.");
            }
            var result = new PygrubResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
            log($"pygrub {string.Join(" ", argv)}: exit {result.ExitCode}");
            return result;
        }
    }

    /// <summary>The failure for a run that exited above 1, with pygrub's own RuntimeError text when it gave one.</summary>
    public static PygrubFailure Failed(PygrubResult result)
    {
        var marker = RuntimeErrorLine().Match(result.Stderr);
        var reason = marker.Success
            ? marker.Groups[1].Value.Trim()
            : result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
        return new PygrubFailure($"Pygrub error ({result.ExitCode}): {reason}");
    }

    private static async Task<string> ReadBounded(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            // Keep draining so pygrub never blocks on a full pipe, but keep only the bound.
            if (text.Length < MaxOutputChars)
                text.Append(buffer, 0, Math.Min(read, MaxOutputChars - text.Length));
        }
        return text.ToString();
    }

    [GeneratedRegex("RuntimeError: (.*)$", RegexOptions.Multiline)]
    private static partial Regex RuntimeErrorLine();
}

using System.Text.RegularExpressions;

namespace Eliloader.Xen.Pygrub;

/// <summary>
/// Runs pygrub on the installed system's disk. Its output comes from the guest's
/// filesystem, so it is bounded in size and time (<see cref="ChildProcess"/>). When the caller expects the simple
/// boot format, every call carries --output-format=simple.
/// </summary>
public sealed partial class PygrubRunner(string path, bool simpleFormat, TimeSpan timeout, Action<string> log)
{
    public const string SimpleFormatOption = "--output-format=simple";

    public string Path { get; } = path;

    /// <summary>The arguments pygrub gets in front of the caller's own.</summary>
    public IReadOnlyList<string> WithFormat(IEnumerable<string> args) =>
        simpleFormat ? [SimpleFormatOption, .. args] : [.. args];

    /// <summary>Runs pygrub with these arguments, behind the caller's output format.</summary>
    public ChildResult Run(params string[] args) => RunExactly(WithFormat(args));

    /// <summary>Runs pygrub with exactly these arguments.</summary>
    public ChildResult RunExactly(IReadOnlyList<string> argv)
    {
        ChildResult result;
        try
        {
            result = ChildProcess.Run(Path, argv, timeout);
        }
        catch (ChildProcessException e)
        {
            throw new PygrubFailure(e.Message);
        }
        log($"pygrub {string.Join(" ", argv)}: exit {result.ExitCode}");
        return result;
    }

    /// <summary>The failure for a run that exited above 1, with pygrub's own RuntimeError text when it gave one.</summary>
    public static PygrubFailure Failed(ChildResult result)
    {
        var marker = RuntimeErrorLine().Match(result.Stderr);
        var reason = marker.Success
            ? marker.Groups[1].Value.Trim()
            : result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
        return new PygrubFailure($"Pygrub error ({result.ExitCode}): {reason}");
    }

    [GeneratedRegex("RuntimeError: (.*)$", RegexOptions.Multiline)]
    private static partial Regex RuntimeErrorLine();
}

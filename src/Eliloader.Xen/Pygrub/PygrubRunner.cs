namespace Eliloader.Xen.Pygrub;

/// <summary>
/// Runs pygrub on a guest's disk or medium. What it prints comes from the guest's
/// filesystem, so the run is bounded in size and time (<see cref="ChildProcess"/>).
/// When the caller expects the simple boot format, every call carries
/// --output-format=simple; otherwise pygrub answers in its default SXP, which every
/// pygrub understands (hosts of the SXP era may carry one older than the option).
/// </summary>
public sealed class PygrubRunner(string path, bool simpleFormat, TimeSpan timeout, Action<string> log)
{
    public const string SimpleFormatOption = "--output-format=simple";

    /// <summary>The longest stderr line kept in a failure message.</summary>
    private const int MaxReasonLength = 4096;

    public string Path { get; } = path;

    /// <summary>Whether pygrub is asked for the simple format (and answers in it).</summary>
    public bool SimpleFormat { get; } = simpleFormat;

    /// <summary>The arguments pygrub gets in front of the caller's own.</summary>
    public IReadOnlyList<string> WithFormat(IEnumerable<string> args) =>
        SimpleFormat ? [SimpleFormatOption, .. args] : [.. args];

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
        catch (ChildOutputTooLarge e)
        {
            throw new PygrubOutputRefused(e.Message);
        }
        catch (ChildProcessException e)
        {
            throw new PygrubFailure(e.Message);
        }
        log($"pygrub {string.Join(" ", argv)}: exit {result.ExitCode}");
        return result;
    }

    /// <summary>
    /// Exit status 1 is pygrub's answer that it found nothing to boot (the second round
    /// probes on it); above 1, or killed by a signal, pygrub itself failed.
    /// </summary>
    public static bool HasFailed(ChildResult result) => result.ExitCode is > 1 or < 0;

    /// <summary>The Python loader's message for a failed run: "Pygrub error (N): " and pygrub's own RuntimeError line.</summary>
    public static PygrubFailure Failed(ChildResult result) =>
        new($"Pygrub error ({result.ExitCode}): {Reason(result) ?? "no message"}");

    /// <summary>
    /// What pygrub said about its failure: its last line that carries "RuntimeError: ",
    /// from the marker on, as the Python loader quoted it; else its last line, which
    /// the Python loader could not quote (it crashed); null when it said nothing.
    /// </summary>
    public static string? Reason(ChildResult result)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var marked = lines.LastOrDefault(l => l.Contains(RuntimeErrorMarker, StringComparison.Ordinal));
        var reason = marked?[marked.IndexOf(RuntimeErrorMarker, StringComparison.Ordinal)..] ?? lines.LastOrDefault();
        return reason is { Length: > MaxReasonLength } ? reason[..MaxReasonLength] + "…" : reason;
    }

    private const string RuntimeErrorMarker = "RuntimeError: ";
}

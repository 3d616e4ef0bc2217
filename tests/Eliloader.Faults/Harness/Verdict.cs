using System.Text.RegularExpressions;

namespace Eliloader.Faults.Harness;

/// <summary>
/// The checks every case gets, against its expectation: exit status, error code, message
/// and dialect, no stack trace or .NET exception text, the time bounds, peak RSS, and
/// nothing left behind (boot directory, cache, temp-dir, pygrub's directory, mounts,
/// processes).
/// </summary>
public sealed partial record Verdict(string Got, IReadOnlyList<string> Problems, TimeSpan Time, TimeSpan? Cpu, long? PeakKiB, string Said)
{
    public const long RssLimitKiB = 64 * 1024;

    public bool Passed => Problems.Count == 0;

    /// <summary>A run printed a stack trace or .NET exception text.</summary>
    public bool Crashed => Got.Contains("crash", StringComparison.Ordinal);

    /// <summary>A run had to be killed.</summary>
    public bool Hung => Got.Contains("hang", StringComparison.Ordinal);

    /// <summary>A file, mount or process stayed behind.</summary>
    public bool Leaked => Problems.Any(p => p.StartsWith(LeftPrefix, StringComparison.Ordinal));

    private const string LeftPrefix = "left ";

    public static Verdict Judge(FaultHost host)
    {
        var expected = host.Expected;
        var problems = new List<string>();
        if (host.Outcomes.Count == 0)
            problems.Add("the case made no checked run");
        foreach (var outcome in host.Outcomes)
            problems.AddRange(Check(expected, host, outcome).Select(p => host.Outcomes.Count > 1 ? $"run {Index(host, outcome)}: {p}" : p));
        problems.AddRange(LeftBehind(host));
        problems.AddRange(host.Problems);
        var labels = host.Outcomes.Select(Label).Distinct().ToList();
        var got = string.Join("/", labels) + (host.Outcomes.Count > 1 ? $" x{host.Outcomes.Count}" : "");
        var time = host.Outcomes.Select(o => o.Elapsed).DefaultIfEmpty().Max();
        var cpu = host.Outcomes.Max(o => o.Cpu);
        var peak = host.Outcomes.Max(o => o.PeakKiB);
        var said = string.Join(" | ", host.Outcomes.Select(o => Shorten(o.Stderr.TrimEnd())).Distinct());
        return new Verdict(got, problems, time, cpu, peak, said);
    }

    private static int Index(FaultHost host, Outcome outcome) => host.Outcomes.ToList().IndexOf(outcome) + 1;

    private static IEnumerable<string> Check(Expected expected, FaultHost host, Outcome outcome)
    {
        if (outcome.Hung)
        {
            yield return $"hang: still running after {outcome.Elapsed.TotalSeconds:0.0} s, killed";
            yield break;
        }
        if (outcome.OutputHeld)
            yield return "a process of the run kept its output open after it exited";
        if (DotNetText().Match(outcome.Stderr + outcome.Stdout) is { Success: true } trace)
            yield return $"stack trace or .NET exception text: '{trace.Value.Trim()}'";
        if (outcome.Exit != expected.Exit)
            yield return $"exit {outcome.Exit}, expected {expected.Exit}: {Shorten(outcome.Stderr)}";
        if (expected.Code is { } code)
        {
            foreach (var problem in CheckError(expected, host, code, outcome))
                yield return problem;
        }
        else if (expected.BootLine && expected.Exit == 0 && outcome.Exit == 0 && BootFiles(outcome).Count == 0)
        {
            yield return $"no boot configuration on stdout: '{Shorten(outcome.Stdout)}'";
        }
        if (outcome.Exit != 0 && outcome.Stdout.Length > 0 && !expected.Diagnosis)
            yield return $"failed, yet printed on stdout: '{Shorten(outcome.Stdout)}'";
        if (outcome.Elapsed > expected.Wall)
            yield return $"took {outcome.Elapsed.TotalSeconds:0.0} s, bound {expected.Wall.TotalSeconds:0} s";
        if (expected.Cpu is { } cpu && outcome.Cpu > cpu)
            yield return $"used {outcome.Cpu.Value.TotalSeconds:0.00} s of CPU, bound {cpu.TotalSeconds:0.0} s";
        if (outcome.PeakKiB > RssLimitKiB)
            yield return $"peak RSS {outcome.PeakKiB / 1024.0:0.0} MiB, limit {RssLimitKiB / 1024} MiB";
    }

    private static IEnumerable<string> CheckError(Expected expected, FaultHost host, string code, Outcome outcome)
    {
        var message = host.Tokens.Aggregate(expected.Message ?? "", (text, token) => text.Replace("{" + token.Key + "}", token.Value));
        if (expected.Diagnosis)
        {
            var finding = DiagnosisFinding().Match(outcome.Stdout);
            if (!finding.Success || finding.Groups["code"].Value != code || !InOrder(finding.Groups["message"].Value, message.Split(Expected.Gap)))
                yield return $"diagnose did not find that a boot would fail with {code}, '{message}': '{Shorten(finding.Value)}'";
            yield break;
        }
        var stderr = outcome.Stderr;
        var head = expected.Dialect == Dialect.RuntimeError ? $"RuntimeError: {code}\n" : $"{code}\n";
        if (!stderr.StartsWith(head, StringComparison.Ordinal) || !stderr.EndsWith('\n'))
        {
            yield return $"stderr is not '{head.TrimEnd()}' then its parameters: '{Shorten(stderr)}'";
            yield break;
        }
        if (!InOrder(stderr[head.Length..], message.Split(Expected.Gap)))
            yield return $"message '{Shorten(stderr[head.Length..])}' lacks '{message}'";
    }

    /// <summary>Whether every part appears in the text, each after the one before.</summary>
    private static bool InOrder(string text, IEnumerable<string> parts)
    {
        var from = 0;
        foreach (var part in parts)
        {
            var at = text.IndexOf(part, from, StringComparison.Ordinal);
            if (at < 0)
                return false;
            from = at + part.Length;
        }
        return true;
    }

    private static IEnumerable<string> LeftBehind(FaultHost host)
    {
        // Files the case put there itself, and those handed out to the toolstack, are no leftovers.
        var handedOut = host.Outcomes.Where(o => o.Exit == 0).SelectMany(BootFiles).Concat(host.Before).ToHashSet();
        foreach (var file in Leftovers.Files(host.BootDir).Select(f => Path.Combine(host.BootDir, f)).Where(f => !handedOut.Contains(f)))
            yield return LeftPrefix + $"{file} in the boot directory";
        foreach (var file in Leftovers.Files(host.PygrubDir).Select(f => Path.Combine(host.PygrubDir, f)).Where(f => !handedOut.Contains(f)))
            yield return LeftPrefix + $"{file} in pygrub's directory";
        foreach (var file in Leftovers.Files(host.TempDir).Where(f => !host.Before.Contains(Path.Combine(host.TempDir, f))))
            yield return LeftPrefix + $"{file} in temp-dir";
        foreach (var stray in Leftovers.CacheStrays(host.CacheDir))
            yield return LeftPrefix + $"{stray} in the cache";
        foreach (var mount in Leftovers.MountsUnder(host.Dir).Except(host.Mounts))
            yield return LeftPrefix + $"a mount on {mount}";
        foreach (var (pid, command) in Leftovers.Processes(host.Marker))
            yield return LeftPrefix + $"process {pid} running: {Shorten(command)}";
    }

    /// <summary>The kernel and ramdisk a boot configuration names, SXP or simple.</summary>
    public static IReadOnlyList<string> BootFiles(Outcome outcome) =>
        BootFile().Matches(outcome.Stdout).Select(m => m.Groups["sxp"].Success ? m.Groups["sxp"].Value : m.Groups["simple"].Value).ToList();

    private static string Label(Outcome outcome)
    {
        if (outcome.Hung)
            return "hang";
        if (DotNetText().IsMatch(outcome.Stderr + outcome.Stdout))
            return "crash";
        if (DiagnosisFinding().Match(outcome.Stdout) is { Success: true } finding)
            return "diagnosed " + finding.Groups["code"].Value;
        return outcome.Exit switch
        {
            0 => BootFiles(outcome).Count > 0 ? "boots" : "exit 0",
            > 128 and var status => Signals.Name(status - 128),
            _ when outcome.Stderr.Split('\n') is [var first, ..] => (first.StartsWith("RuntimeError: ", StringComparison.Ordinal)
                ? first["RuntimeError: ".Length..]
                : first.Length <= 40 ? first + " (code-lines)" : "?") + (outcome.Exit == Expected.ApiFailure ? "" : $", exit {outcome.Exit}"),
            _ => $"exit {outcome.Exit}",
        };
    }

    private static string Shorten(string text)
    {
        var line = text.Replace("\n", "\\n");
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    /// <summary>
    /// A stack trace, an exception's type, a .NET type name, or one of the runtime's own
    /// messages: text a person at a XenServer console cannot act on.
    /// </summary>
    [GeneratedRegex(@"(?m)^\s+at \S+|Unhandled exception|System\.[A-Z][A-Za-z]+(\.[A-Z][A-Za-z]+)*Exception|\bat System\.|Exception:|\bException\b|Collections\.Generic|\w`\d|---> |\bInt(16|32|64)\b|" +
        "Unable to read beyond the end of the stream|Arithmetic operation resulted in an overflow|was not in a correct format|Object reference not set|" +
        "Index was outside the bounds|Specified argument was out of the range|Value cannot be null|Sequence contains|XmlReaderSettings")]
    private static partial Regex DotNetText();

    [GeneratedRegex(@"(?m)^result: a real first boot would FAIL with (?<code>[A-Z_]+): (?<message>.*)$")]
    private static partial Regex DiagnosisFinding();

    [GeneratedRegex(@"\((kernel|ramdisk) (?<sxp>/[^)]+)\)|(?m)^(kernel|ramdisk) (?<simple>/.+)$")]
    private static partial Regex BootFile();
}

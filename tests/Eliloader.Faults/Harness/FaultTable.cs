using System.Text;

namespace Eliloader.Faults.Harness;

/// <summary>One line of the table: a case and how it ended.</summary>
public sealed record FaultRow(string Category, string Case, string Expected, Verdict Verdict);

/// <summary>
/// The suite's table (case, expected, got, wall and CPU time, peak RSS, result), the problems of
/// every failed case, and the figures docs/measurements.md quotes: cases, crashes, hangs, leaks,
/// peak RSS.
/// </summary>
public sealed class FaultTable
{
    private readonly List<FaultRow> rows = [];

    public void Add(FaultRow row)
    {
        lock (rows)
            rows.Add(row);
    }

    private List<FaultRow> Sorted()
    {
        lock (rows)
            return rows.OrderBy(r => r.Category, StringComparer.Ordinal).ThenBy(r => r.Case, StringComparer.Ordinal).ToList();
    }

    /// <summary>What each case's runs wrote on stderr, for reading the messages a person would see.</summary>
    public string RenderMessages() =>
        string.Concat(Sorted().Select(r => $"{r.Category} / {r.Case}: {r.Verdict.Said}\n"));

    public string Render()
    {
        var sorted = Sorted();
        var text = new StringBuilder();
        string[] header = ["category", "case", "expected", "got", "time", "cpu", "peak RSS", "result"];
        var lines = sorted.Select(r => new[]
        {
            r.Category, r.Case, r.Expected, r.Verdict.Got, $"{r.Verdict.Time.TotalSeconds:0.00} s",
            r.Verdict.Cpu is { } cpu ? $"{cpu.TotalSeconds:0.00} s" : "-",
            r.Verdict.PeakKiB is { } kib ? $"{kib / 1024.0:0.0} MiB" : "-",
            r.Verdict.Passed ? "pass" : "FAIL",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => lines.Max(line => line[column].Length)).ToArray();
        text.AppendLine("Fault suite: dist/eliloader run as the toolstack runs it, against hostile input");
        foreach (var line in lines)
            text.AppendLine(string.Join("  ", line.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        foreach (var failed in sorted.Where(r => !r.Verdict.Passed))
        {
            text.AppendLine($"FAIL {failed.Category} / {failed.Case}:");
            foreach (var problem in failed.Verdict.Problems)
                text.AppendLine("  " + problem);
        }
        var verdicts = sorted.Select(r => r.Verdict).ToList();
        var peak = verdicts.Max(v => v.PeakKiB) ?? 0;
        var slowest = verdicts.Select(v => v.Time).DefaultIfEmpty().Max();
        text.AppendLine($"figures: {sorted.Count} cases, {verdicts.Count(v => v.Crashed)} crashes, {verdicts.Count(v => v.Hung)} hangs, " +
            $"{verdicts.Count(v => v.Leaked)} leaks, peak RSS {peak / 1024.0:0.0} MiB (limit {Verdict.RssLimitKiB / 1024} MiB), slowest case {slowest.TotalSeconds:0.0} s");
        return text.ToString();
    }
}

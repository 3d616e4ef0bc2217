using System.Globalization;

namespace Eliloader.Tests.Support;

/// <summary>
/// A run of the published binary with what GNU time measures: wall time, CPU time (user
/// and system) and peak RSS. A bound on work is asserted on CPU time, which the load of
/// a shared machine does not stretch; wall time only catches a hang.
/// </summary>
public sealed record MeasuredResult(ProcessResult Result, double WallSeconds, double CpuSeconds, long PeakRssKib);

public static class MeasuredRun
{
    /// <summary>Runs the published binary as xenopsd does, under /usr/bin/time.</summary>
    public static MeasuredResult RunAsXenopsdMeasured(this Scenario host, string image = "")
    {
        host.WriteConfig();
        var times = Path.Combine(host.Directory, "time-" + Guid.NewGuid().ToString("N")[..8]);
        var result = ProcessRunner.Run("/usr/bin/time", ["-f", "%e %U %S %M", "-o", times, RepoPaths.Binary, "-q", "--vm", Scenario.VmUuid, image],
            new Dictionary<string, string> { ["ELILOADER_CONFIG"] = host.ConfigPath });
        var fields = File.ReadAllLines(times)[^1].Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        File.Delete(times);
        return new MeasuredResult(result, fields[0], fields[1] + fields[2], (long)fields[3]);
    }
}

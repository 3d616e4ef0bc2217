using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Eliloader.Tests.Support;

namespace Eliloader.Faults.Harness;

/// <summary>
/// How one run of the binary ended: its exit status (128 + the signal when a signal
/// ended it), what it printed (each stream kept up to a bound), its wall and CPU time,
/// its peak RSS, and whether the harness had to kill it or a child kept its output open.
/// </summary>
public sealed record Outcome(int? Exit, string Stdout, string Stderr, TimeSpan Elapsed, TimeSpan? Cpu, long? PeakKiB, bool Hung, bool OutputHeld);

/// <summary>
/// The published binary started as the toolstack starts it (argv, no stdin, the
/// scenario's configuration), under GNU time so that its own peak RSS and CPU time are
/// measured. Every process of the run carries a marker in its environment, so whatever
/// it leaves running can be found afterwards.
/// </summary>
public sealed partial class TimedRun : IDisposable
{
    public const string MarkerVariable = "ELILOADER_FAULT_RUN";
    private const int KeptChars = 1 << 20;

    private readonly Process time;
    private readonly string usageFile;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;
    private int? pid;

    public TimedRun(string configPath, string marker, string usageFile, IReadOnlyList<string> argv, string? runAs = null)
    {
        this.usageFile = usageFile;
        var start = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] measured = ["-q", "-f", "%M %U %S", "-o", usageFile];
        // setpriv drops to another user in place (no fork), so time still measures eliloader itself.
        string[] user = runAs is null ? [] : ["/usr/bin/setpriv", $"--reuid={runAs}", $"--regid={runAs}", "--clear-groups"];
        foreach (var arg in measured.Concat(user).Append(RepoPaths.Binary).Concat(argv))
            start.ArgumentList.Add(arg);
        start.Environment["ELILOADER_CONFIG"] = configPath;
        start.Environment[MarkerVariable] = marker;
        time = Process.Start(start)!;
        time.StandardInput.Close();
        stdout = KeepBounded(time.StandardOutput);
        stderr = KeepBounded(time.StandardError);
    }

    /// <summary>eliloader's own process id (time's child), once it has started.</summary>
    public int Pid => pid ??= FindChild();

    private int FindChild()
    {
        var children = $"/proc/{time.Id}/task/{time.Id}/children";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var text = File.Exists(children) ? File.ReadAllText(children).Trim() : "";
            if (text.Length > 0)
                return int.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
            Thread.Sleep(5);
        }
        throw new InvalidOperationException("eliloader did not start under time");
    }

    public bool HasExited => time.HasExited;

    /// <summary>Sends a signal to eliloader itself, as the toolstack signals its bootloader.</summary>
    public void Signal(int signal)
    {
        if (Kill(Pid, signal) != 0)
            throw new InvalidOperationException($"kill {Pid} {signal}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the end of the run; past <paramref name="deadline"/> the run is killed and counted as a hang.</summary>
    public Outcome Finish(TimeSpan deadline)
    {
        var hung = !time.WaitForExit(deadline);
        if (hung)
        {
            time.Kill(entireProcessTree: true);
            time.WaitForExit();
        }
        var elapsed = clock.Elapsed;
        // A child that inherited eliloader's stdout keeps it open after eliloader exits.
        var held = !Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(3));
        var (peak, cpu) = Usage();
        return new Outcome(hung ? null : time.ExitCode, Completed(stdout), Completed(stderr), elapsed, cpu, peak, hung, held);
    }

    private static string Completed(Task<string> stream) => stream.IsCompletedSuccessfully ? stream.Result : "";

    /// <summary>Peak RSS in KiB and user + system CPU time, as time wrote them; nothing when time was killed.</summary>
    private (long? PeakKiB, TimeSpan? Cpu) Usage()
    {
        var fields = File.Exists(usageFile) ? File.ReadAllText(usageFile).Trim().Split('\n')[^1].Split(' ') : [];
        if (fields.Length != 3 || !long.TryParse(fields[0], CultureInfo.InvariantCulture, out var peak))
            return (null, null);
        var cpu = double.Parse(fields[1], CultureInfo.InvariantCulture) + double.Parse(fields[2], CultureInfo.InvariantCulture);
        return (peak, TimeSpan.FromSeconds(cpu));
    }

    private static async Task<string> KeepBounded(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (kept.Length < KeptChars)
                kept.Append(buffer, 0, Math.Min(read, KeptChars - kept.Length));
        }
        return kept.ToString();
    }

    public void Dispose()
    {
        if (!time.HasExited)
            time.Kill(entireProcessTree: true);
        time.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

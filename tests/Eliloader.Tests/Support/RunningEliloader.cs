using System.Diagnostics;

namespace Eliloader.Tests.Support;

/// <summary>The published binary started in the background, to be signalled while it works or run beside others.</summary>
public sealed class RunningEliloader : IDisposable
{
    private readonly Process process;

    public RunningEliloader(Scenario host, params string[] argv)
    {
        host.WriteConfig();
        var start = new ProcessStartInfo(RepoPaths.Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in argv)
            start.ArgumentList.Add(arg);
        start.Environment["ELILOADER_CONFIG"] = host.ConfigPath;
        process = Process.Start(start)!;
    }

    /// <summary>Sends SIGTERM, as the toolstack does when a VM start is cancelled, and waits for the exit.</summary>
    public int Terminate()
    {
        if (process.HasExited)
            Assert.Fail("eliloader finished before it could be signalled: " + process.StandardError.ReadToEnd());
        var kill = ProcessRunner.Run("kill", ["-TERM", process.Id.ToString()]);
        Assert.True(kill.ExitCode == 0, $"kill {process.Id}: {kill.Stderr} (exited: {process.HasExited})");
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "eliloader did not exit after SIGTERM");
        return process.ExitCode;
    }

    /// <summary>Sends SIGKILL, which no handler sees (nothing of the run is undone), and waits for the exit.</summary>
    public void Kill()
    {
        var kill = ProcessRunner.Run("kill", ["-KILL", process.Id.ToString()]);
        Assert.True(kill.ExitCode == 0, $"kill {process.Id}: {kill.Stderr}");
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "eliloader did not exit after SIGKILL");
    }

    /// <summary>Waits for the run to end on its own.</summary>
    public ProcessResult Finish(TimeSpan timeout)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(timeout), "eliloader did not finish in time");
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        if (!process.HasExited)
            process.Kill();
        process.Dispose();
    }
}

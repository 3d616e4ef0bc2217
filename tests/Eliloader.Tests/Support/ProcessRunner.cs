using System.Diagnostics;

namespace Eliloader.Tests.Support;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a program to completion and captures both streams.</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
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
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(" ", args)} did not finish");
        }
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

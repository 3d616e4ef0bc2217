using System.Diagnostics;

namespace Eliloader.Formats.Tests;

/// <summary>Runs the reference tools (GNU cpio, compressors) through bash.</summary>
public static class Shell
{
    public static string Run(string script, string? directory = null)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script}: {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }

    /// <summary>Bytes passed through a command (a compressor) as its standard input, and what it writes.</summary>
    public static byte[] Filter(byte[] data, string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output);
        process.StandardInput.BaseStream.Write(data);
        process.StandardInput.Close();
        reading.Wait();
        process.WaitForExit();
        return output.ToArray();
    }

    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Eliloader.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Eliloader.sln not found");
    }
}

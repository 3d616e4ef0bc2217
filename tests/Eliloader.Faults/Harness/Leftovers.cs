using System.Text;
using Eliloader.Tests.Support;

namespace Eliloader.Faults.Harness;

/// <summary>What a case's runs left behind: processes, mounts, and files where none may stay.</summary>
public static class Leftovers
{
    /// <summary>Processes still alive whose environment carries the case's marker (every process of its runs inherits it).</summary>
    public static IReadOnlyList<(int Pid, string Command)> Processes(string marker)
    {
        var needle = Encoding.ASCII.GetBytes($"{TimedRun.MarkerVariable}={marker}\0");
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            try
            {
                if (File.ReadAllBytes(Path.Combine(directory, "environ")).AsSpan().IndexOf(needle) >= 0)
                    found.Add((pid, File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim()));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }
        return found;
    }

    public static void KillProcesses(string marker)
    {
        foreach (var (pid, _) in Processes(marker))
            ProcessRunner.Run("kill", ["-KILL", pid.ToString()]);
    }

    /// <summary>Mount points at or below a directory (as /proc/self/mounts writes them, octal escapes undone).</summary>
    public static IReadOnlyList<string> MountsUnder(string directory) =>
        File.ReadLines("/proc/self/mounts")
            .Select(line => Unescape(line.Split(' ')[1]))
            .Where(point => point == directory || point.StartsWith(directory + "/", StringComparison.Ordinal))
            .ToList();

    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    /// <summary>Every file below a directory, relative names; none when it does not exist.</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
                .Where(path => !Directory.Exists(path) || Directory.GetFileSystemEntries(path).Length == 0)
                .Select(path => Path.GetRelativePath(directory, path))
                .Order()
                .ToList()
            : [];

    /// <summary>
    /// What the image cache holds that no complete entry accounts for: partial downloads,
    /// unfinished entries, and objects no entry names.
    /// </summary>
    public static IReadOnlyList<string> CacheStrays(string cache)
    {
        var objects = Path.Combine(cache, "objects");
        var entries = Path.Combine(cache, "entries");
        var named = Directory.Exists(entries)
            ? Directory.EnumerateFiles(entries)
                .SelectMany(File.ReadLines)
                .Where(line => line.StartsWith("sha256=", StringComparison.Ordinal))
                .Select(line => line["sha256=".Length..])
                .ToHashSet()
            : [];
        var strays = Directory.Exists(objects)
            ? Directory.EnumerateFiles(objects).Where(path => !named.Contains(Path.GetFileName(path))).Select(path => "objects/" + Path.GetFileName(path)).ToList()
            : [];
        if (Directory.Exists(entries))
            strays.AddRange(Directory.EnumerateFiles(entries).Where(path => Path.GetFileName(path).StartsWith('.')).Select(path => "entries/" + Path.GetFileName(path)));
        return strays;
    }
}

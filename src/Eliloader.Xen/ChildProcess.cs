using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Eliloader.Xen;

/// <summary>What one run of a dom0 helper (pygrub, mount, umount) printed and how it ended.</summary>
/// <param name="ExitCode">The exit status, or minus the signal that killed the helper (as Python's subprocess reports it).</param>
public sealed record ChildResult(int ExitCode, string Stdout, string Stderr);

/// <summary>The helper could not be started, or did not finish in time.</summary>
public class ChildProcessException(string message) : Exception(message);

/// <summary>The helper printed more than a run may keep; it was killed.</summary>
public sealed class ChildOutputTooLarge(string message) : ChildProcessException(message);

/// <summary>
/// Runs a dom0 helper to completion with stdin on /dev/null. What it prints may come
/// from a guest's disk, so each stream is bounded in size, and the whole run, from
/// the start to the end of both streams, is bounded in time. When the helper has
/// ended but something it left behind still holds a stream open, the run waits a
/// moment for the stream to end and then stops listening. Every process still in
/// the helper's group is killed when the run ends, however it ends.
/// </summary>
public static unsafe partial class ChildProcess
{
    private const int MaxOutputBytes = 1 << 20;

    /// <summary>How long a stream may stay open once the helper has exited: only a leftover can hold it.</summary>
    private static readonly TimeSpan AfterExit = TimeSpan.FromSeconds(1);

    /// <summary>How often a run that waits on its streams checks whether the helper has exited.</summary>
    private static readonly TimeSpan ExitCheck = TimeSpan.FromMilliseconds(50);

    private const short PollIn = 0x001;
    private const int EIntr = 4;

    public static ChildResult Run(string program, IReadOnlyList<string> args, TimeSpan timeout)
    {
        using var child = SpawnedProcess.Start(program, args);
        var clock = Stopwatch.StartNew();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        TimeSpan? exitedAt = null;
        while (child.Stdout >= 0 || child.Stderr >= 0)
        {
            var now = clock.Elapsed;
            if (now >= timeout)
                throw TimedOut(program, args, timeout);
            if (exitedAt is null && child.HasExited())
                exitedAt = now;
            if (exitedAt is { } exited && now - exited >= AfterExit)
                break;
            var wait = exitedAt is { } since ? AfterExit - (now - since) : ExitCheck;
            Read(child, program, Min(wait, timeout - now), stdout, stderr);
        }
        while (!child.HasExited())
        {
            if (clock.Elapsed >= timeout)
                throw TimedOut(program, args, timeout);
            Thread.Sleep(ExitCheck);
        }
        child.KillGroup();
        return new ChildResult(child.Reap(), Text(stdout), Text(stderr));
    }

    /// <summary>Waits at most <paramref name="wait"/> for either stream, and takes what is there.</summary>
    private static void Read(SpawnedProcess child, string program, TimeSpan wait, MemoryStream stdout, MemoryStream stderr)
    {
        var fds = stackalloc PollFd[2];
        var count = 0;
        if (child.Stdout >= 0)
            fds[count++] = new PollFd { Fd = child.Stdout, Events = PollIn };
        if (child.Stderr >= 0)
            fds[count++] = new PollFd { Fd = child.Stderr, Events = PollIn };
        var ready = Poll(fds, (nuint)count, (int)Math.Ceiling(wait.TotalMilliseconds));
        if (ready < 0)
        {
            if (Marshal.GetLastPInvokeError() == EIntr)
                return;
            throw new ChildProcessException($"Could not read what {program} printed: {Marshal.GetLastPInvokeErrorMessage()}.");
        }
        var buffer = stackalloc byte[65536];
        for (var i = 0; i < count; i++)
        {
            if (fds[i].Returned == 0)
                continue;
            var isStdout = fds[i].Fd == child.Stdout;
            var read = ReadFd(fds[i].Fd, buffer, 65536);
            if (read < 0 && Marshal.GetLastPInvokeError() == EIntr)
                continue;
            if (read <= 0)
            {
                if (isStdout)
                    child.CloseStdout();
                else
                    child.CloseStderr();
                continue;
            }
            var target = isStdout ? stdout : stderr;
            if (target.Length + read > MaxOutputBytes)
                throw new ChildOutputTooLarge($"{program} printed more than {MaxOutputBytes} bytes on {(isStdout ? "stdout" : "stderr")}.");
            target.Write(new ReadOnlySpan<byte>(buffer, (int)read));
        }
    }

    private static ChildProcessException TimedOut(string program, IReadOnlyList<string> args, TimeSpan timeout) =>
        new($"{program} {string.Join(" ", args)} did not finish within {timeout.TotalSeconds:0} seconds.");

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Text(MemoryStream bytes) => Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadFd(int fd, byte* buffer, nuint count);
}

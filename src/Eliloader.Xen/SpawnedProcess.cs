using System.Runtime.InteropServices;

namespace Eliloader.Xen;

/// <summary>
/// A dom0 helper started with posix_spawn as the leader of a process group of its
/// own, stdin on /dev/null and stdout and stderr on pipes. The group lets every
/// process the helper left behind (a `sleep &amp;` holding its stdout) be killed with
/// it, which System.Diagnostics.Process cannot do: it only knows the helper's
/// descendants while they are still its children.
/// </summary>
internal sealed unsafe partial class SpawnedProcess : IDisposable
{
    private const int OCloexec = 0x80000;
    private const int ORdonly = 0;
    private const short SpawnSetPgroup = 0x02;
    private const short SpawnSetSigDef = 0x04;
    private const short SpawnSetSigMask = 0x08;
    private const int PPid = 1;
    private const int WNoHang = 1;
    private const int WExited = 4;
    private const int WNoWait = 0x01000000;
    private const int SigKill = 9;
    private const int EIntr = 4;

    // glibc's posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80, sigset_t 128:
    // room to spare for each.
    private const int OpaqueSize = 1024;

    private bool reaped;

    public int Pid { get; }

    /// <summary>The read ends of the helper's stdout and stderr.</summary>
    public int Stdout { get; private set; } = -1;
    public int Stderr { get; private set; } = -1;

    private SpawnedProcess(int pid, int stdout, int stderr)
    {
        Pid = pid;
        Stdout = stdout;
        Stderr = stderr;
    }

    public static SpawnedProcess Start(string program, IReadOnlyList<string> args)
    {
        var stdout = stackalloc int[2];
        var stderr = stackalloc int[2];
        if (Pipe2(stdout, OCloexec) != 0)
            throw new ChildProcessException($"Could not run {program}: {Marshal.GetLastPInvokeErrorMessage()}.");
        if (Pipe2(stderr, OCloexec) != 0)
        {
            var reason = Marshal.GetLastPInvokeErrorMessage();
            Close(stdout[0]);
            Close(stdout[1]);
            throw new ChildProcessException($"Could not run {program}: {reason}.");
        }

        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var defaults = NativeMemory.AllocZeroed(OpaqueSize);
        var mask = NativeMemory.AllocZeroed(OpaqueSize);
        var argv = Strings([program, .. args]);
        var envp = Strings(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList());
        try
        {
            FileActionsInit(actions);
            AttrInit(attributes);
            FileActionsAddOpen(actions, 0, "/dev/null", ORdonly, 0);
            FileActionsAddDup2(actions, stdout[1], 1);
            FileActionsAddDup2(actions, stderr[1], 2);
            // Process group 0: the helper leads a group of its own. Signals back to their
            // defaults and none blocked, whatever this runtime set for itself (SIGPIPE ignored).
            SigFillSet(defaults);
            SigEmptySet(mask);
            AttrSetPgroup(attributes, 0);
            AttrSetSigDefault(attributes, defaults);
            AttrSetSigMask(attributes, mask);
            AttrSetFlags(attributes, SpawnSetPgroup | SpawnSetSigDef | SpawnSetSigMask);
            int pid;
            var error = Spawn(&pid, program, actions, attributes, argv, envp);
            Close(stdout[1]);
            Close(stderr[1]);
            if (error != 0)
            {
                Close(stdout[0]);
                Close(stderr[0]);
                throw new ChildProcessException($"Could not run {program}: {Marshal.GetPInvokeErrorMessage(error)}.");
            }
            return new SpawnedProcess(pid, stdout[0], stderr[0]);
        }
        finally
        {
            FileActionsDestroy(actions);
            AttrDestroy(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(defaults);
            NativeMemory.Free(mask);
            FreeStrings(argv);
            FreeStrings(envp);
        }
    }

    /// <summary>Whether the helper has ended; it is left a zombie, so its group id stays its own until <see cref="Reap"/>.</summary>
    public bool HasExited()
    {
        var info = stackalloc byte[128];
        new Span<byte>(info, 128).Clear();
        if (WaitId(PPid, Pid, info, WExited | WNoHang | WNoWait) != 0)
            return true;
        // siginfo_t.si_pid (offset 16) stays 0 while the child runs.
        return *(int*)(info + 16) != 0;
    }

    /// <summary>SIGKILL to the helper and everything still in its process group.</summary>
    public void KillGroup()
    {
        if (!reaped)
            Kill(-Pid, SigKill);
    }

    /// <summary>
    /// Waits for the helper and returns its exit status as Python's subprocess gives it
    /// (what the Python loader compared and printed): the status, or minus the signal
    /// that killed it.
    /// </summary>
    public int Reap()
    {
        int status;
        int result;
        do
            result = WaitPid(Pid, &status, 0);
        while (result < 0 && Marshal.GetLastPInvokeError() == EIntr);
        reaped = true;
        if (result < 0)
            return -1;
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : -signal;
    }

    /// <summary>Stops listening to a stream; a process still holding its write end gets SIGPIPE.</summary>
    public void CloseStdout() => Stdout = CloseOnce(Stdout);

    public void CloseStderr() => Stderr = CloseOnce(Stderr);

    public void Dispose()
    {
        CloseStdout();
        CloseStderr();
        if (!reaped)
        {
            KillGroup();
            Reap();
        }
    }

    private static int CloseOnce(int fd)
    {
        if (fd >= 0)
            Close(fd);
        return -1;
    }

    private static IntPtr* Strings(IReadOnlyList<string> values)
    {
        var array = (IntPtr*)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(IntPtr));
        for (var i = 0; i < values.Count; i++)
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        return array;
    }

    private static void FreeStrings(IntPtr* array)
    {
        for (var p = array; *p != IntPtr.Zero; p++)
            Marshal.FreeCoTaskMem(*p);
        NativeMemory.Free(array);
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileActionsAddOpen(void* actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setpgroup")]
    private static partial int AttrSetPgroup(void* attributes, int group);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttrSetSigDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttrSetSigMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SigFillSet(void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Spawn(int* pid, string path, void* actions, void* attributes, IntPtr* argv, IntPtr* envp);

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    private static partial int WaitId(int idType, int id, byte* info, int options);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}

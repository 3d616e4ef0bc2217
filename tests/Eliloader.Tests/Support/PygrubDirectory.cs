using System.Runtime.InteropServices;

namespace Eliloader.Tests.Support;

/// <summary>The tests that run Debian's real pygrub, which writes into the one /var/run/xen/pygrub of the machine.</summary>
[CollectionDefinition(Name)]
public sealed class RealPygrubCollection : ICollectionFixture<PygrubDirectory>
{
    public const string Name = "real pygrub";
}

/// <summary>
/// /var/run/xen/pygrub, held for the collection's duration under an exclusive flock
/// on /tmp/eliloader-pygrub.lock, so the suites of other worktrees on this machine
/// wait instead of seeing this one's files come and go. Tests compare the directory
/// before and after: a run must leave it as it was.
/// </summary>
public sealed class PygrubDirectory : IDisposable
{
    public const string Path = "/var/run/xen/pygrub";

    /// <summary>Xen 4.17's pygrub from Debian's xen-utils-4.17 (`make setup`).</summary>
    public const string RealPygrub = "/usr/lib/xen-4.17/bin/pygrub";

    private const string LockFile = "/tmp/eliloader-pygrub.lock";
    private const int ReadWriteCreateCloseOnExec = 0x2 | 0x40 | 0x80000;
    private const int LockExclusive = 2;
    private readonly int descriptor;

    /// <summary>
    /// Waits for the lock. The file is opened with open(2), not a FileStream: .NET takes
    /// a flock of its own on every FileStream it opens, which fails at once, instead of
    /// waiting, while another holder in this process (the collection beside the
    /// template coverage) has the lock.
    /// </summary>
    public PygrubDirectory()
    {
        descriptor = Open(LockFile, ReadWriteCreateCloseOnExec, 0x1b6);
        if (descriptor < 0 || Flock(descriptor, LockExclusive) != 0)
            throw new InvalidOperationException($"flock {LockFile}: error {Marshal.GetLastPInvokeError()}");
        Directory.CreateDirectory(Path);
    }

    public IReadOnlySet<string> Snapshot() => Directory.EnumerateFileSystemEntries(Path).ToHashSet();

    /// <summary>What appeared since the snapshot.</summary>
    public string[] NewSince(IReadOnlySet<string> snapshot) =>
        Directory.EnumerateFileSystemEntries(Path).Where(f => !snapshot.Contains(f)).Order().ToArray();

    /// <summary>Nothing added, nothing taken away.</summary>
    public void AssertLeftAsItWas(IReadOnlySet<string> snapshot)
    {
        Assert.Empty(NewSince(snapshot));
        Assert.All(snapshot, f => Assert.True(File.Exists(f) || Directory.Exists(f), $"{f} was removed"));
    }

    /// <summary>Removes what a failed test left, so the next test starts from the same directory.</summary>
    public void RemoveNewSince(IReadOnlySet<string> snapshot)
    {
        foreach (var file in NewSince(snapshot))
            File.Delete(file);
    }

    public void Dispose() => Close(descriptor);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Eliloader.Repositories;

/// <summary>
/// An install tree in a local directory (a mounted NFS export). The tree belongs to
/// the guest's side, so a path may not leave it: "..", absolute symlinks and
/// symlinks that climb out are treated as missing files, never followed into dom0;
/// and only regular files are read (a FIFO would hang the VM start).
/// </summary>
public sealed partial class LocalTreeRepository(string root, string describedAs, Action<string> log) : IRepository
{
    private const int ReadOnlyNonBlockingNoFollow = 0x800 | 0x20000 | 0x80000;

    public string Describe(string path) => describedAs + path;

    public bool Exists(string path) => Resolve(path) is { } full && File.Exists(full);

    public RemoteFile Open(string path) => OpenIfChanged(path, null);

    /// <summary>A local file's version is its modification time and size, read from the open descriptor.</summary>
    public RemoteFile OpenIfChanged(string path, Validators? known)
    {
        var full = Resolve(path);
        if (full is null || !File.Exists(full))
            throw new SourceUnavailableException(Describe(path), "no such file in the tree");
        // Non-blocking, so opening a FIFO returns at once instead of waiting for a writer.
        var descriptor = OpenFile(full, ReadOnlyNonBlockingNoFollow);
        if (descriptor < 0)
            throw new SourceUnavailableException(Describe(path), Marshal.GetLastPInvokeErrorMessage());
        var stream = new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), FileAccess.Read, bufferSize: 1);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new SourceUnavailableException(Describe(path), "not a regular file");
        }
        var validators = new Validators(null, $"{File.GetLastWriteTimeUtc(stream.SafeFileHandle).Ticks}:{stream.Length}");
        if (validators == known)
        {
            stream.Dispose();
            return RemoteFile.Unchanged(Describe(path), validators);
        }
        return new RemoteFile(Describe(path), stream.Length, stream, validators);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags);

    /// <summary>The real location of a tree path, following symlinks only while they stay inside the tree.</summary>
    private string? Resolve(string path) =>
        TreeWalk.Resolve(root, path, System.IO.Path.Combine, entry => new FileInfo(entry).LinkTarget,
            why => log($"{Describe(path)} {why}; treated as missing"));

    public void Dispose()
    {
    }
}

using System.Runtime.InteropServices;
using Eliloader.Boot;
using Eliloader.Errors;

namespace Eliloader.Pipeline;

/// <summary>
/// The files a pygrub answer names. The toolstack takes a kernel or ramdisk only
/// directly from the boot directory or pygrub's own directory, and deletes it after
/// the boot; eliloader holds pygrub's answer to the same rule, after resolving
/// symlinks and before touching the file, and on failure deletes only what pygrub
/// wrote into its directory during this run: a name that was not there before.
/// </summary>
public sealed partial class PygrubFiles(string pygrubDir, string bootDir, RunCleanup cleanup)
{
    private readonly HashSet<string> claimed = new(StringComparer.Ordinal);
    private HashSet<string> before = [];

    /// <summary>Notes what pygrub's directory holds before pygrub runs.</summary>
    public void NoteExisting() =>
        before = Directory.Exists(pygrubDir)
            ? Directory.EnumerateFileSystemEntries(pygrubDir).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];

    /// <summary>
    /// Where the named file is, spelt as the toolstack wants it (the configured
    /// directory and the file's name), or null when it is not directly in either
    /// directory. A file pygrub wrote for this run is removed if the run fails.
    /// </summary>
    public string? Claim(string named)
    {
        if (!named.StartsWith('/') || named.Contains('\0'))
            return null;
        var resolved = Resolve(Path.GetFullPath(named));
        if (resolved is null)
            return null;
        var directory = Path.GetDirectoryName(resolved);
        var name = Path.GetFileName(resolved);
        foreach (var allowed in new[] { pygrubDir, bootDir })
        {
            if (directory != RealPath(allowed))
                continue;
            var path = Path.Combine(allowed, name);
            if (allowed == pygrubDir && !before.Contains(name) && File.Exists(path) && claimed.Add(path))
                cleanup.Register($"removed {path}", () => File.Delete(path));
            return path;
        }
        return null;
    }

    /// <summary>
    /// Claims the named file and checks that it is a regular file the toolstack can be
    /// handed (INVALID_SOURCE naming what is wrong otherwise), within its limit.
    /// </summary>
    public string Accept(string what, string named, long limit)
    {
        var path = Claim(named)
            ?? throw Refused(what, named, $"which is not a file directly in {pygrubDir} or {bootDir}");
        switch (FileMode(path))
        {
            case null:
                throw Refused(what, named, "which does not exist");
            case DirectoryMode:
                throw Refused(what, named, "which is a directory");
            case not RegularMode:
                throw Refused(what, named, "which is not a regular file");
        }
        if (path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '(' or ')' or '"' or '\'' or '\\'))
            throw Refused(what, named, "whose name the toolstack cannot read");
        if (new FileInfo(path).Length > limit)
            throw Limits.Exceeded(path, limit);
        return path;
    }

    private static ApiError Refused(string what, string named, string why) =>
        new(ApiError.InvalidSource, $"pygrub named the {what} '{Excerpt.Of(named)}', {why}.");

    /// <summary>The path with every symlink resolved; a missing last component is kept as named.</summary>
    private static string? Resolve(string path) =>
        RealPath(path) ?? (RealPath(Path.GetDirectoryName(path) ?? "/") is { } directory
            ? Path.Combine(directory, Path.GetFileName(path))
            : null);

    private const uint FileTypeMask = 0xF000;
    private const uint DirectoryMode = 0x4000;
    private const uint RegularMode = 0x8000;

    /// <summary>The file type bits of stat's st_mode (offset 24 in x86_64's struct stat), or null when there is no such file.</summary>
    private static unsafe uint? FileMode(string path)
    {
        var stat = stackalloc byte[256];
        return Stat(path, stat) == 0 ? *(uint*)(stat + 24) & FileTypeMask : null;
    }

    private static string? RealPath(string path)
    {
        var resolved = RealPathNative(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
            return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}

namespace Eliloader.Boot;

/// <summary>
/// The directory the toolstack takes kernels and ramdisks from (and deletes them
/// after building the domain). Since 2025 xenopsd no longer creates it, so the first
/// file made creates it, mode 0755.
/// </summary>
public sealed class BootDirectory(string path, RunCleanup cleanup, Action<string> log)
{
    public string Path { get; } = path;

    /// <summary>A new file prefix-XXXXXX, created exclusively, removed again if the run fails.</summary>
    public (string Path, FileStream Stream) Create(string prefix)
    {
        if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            log($"created {Path}");
        }
        return ExclusiveFile.Create(Path, prefix, cleanup);
    }
}

using System.Security.Cryptography;

namespace Eliloader.Boot;

/// <summary>A private directory under temp-dir for a manual command's downloads, removed with everything in it when the command ends.</summary>
public static class ScratchDirectory
{
    public static string Create(string parent, RunCleanup cleanup)
    {
        var path = Path.Combine(parent, "eliloader-" + RandomNumberGenerator.GetHexString(12, lowercase: true));
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        cleanup.Register($"removed {path}", () => Directory.Delete(path, recursive: true));
        return path;
    }
}

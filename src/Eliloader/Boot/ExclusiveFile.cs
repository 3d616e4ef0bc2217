using System.Security.Cryptography;
using Eliloader.Errors;

namespace Eliloader.Boot;

/// <summary>
/// A new file with a random suffix, created exclusively (as mkstemp gave the Python
/// loader), readable only by its owner, and removed again if the run fails.
/// </summary>
public static class ExclusiveFile
{
    private const string NameAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int NameAttempts = 100;

    public static (string Path, FileStream Stream) Create(string directory, string prefix, RunCleanup cleanup)
    {
        for (var attempt = 0; attempt < NameAttempts; attempt++)
        {
            var candidate = Path.Combine(directory, $"{prefix}-{RandomNumberGenerator.GetString(NameAlphabet, 6)}");
            try
            {
                var stream = new FileStream(candidate, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.ReadWrite,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                cleanup.Register($"removed {candidate}", () => File.Delete(candidate));
                return (candidate, stream);
            }
            catch (IOException) when (File.Exists(candidate))
            {
                // Taken by another run: draw another name.
            }
        }
        throw new ApiError(ApiError.InternalError, $"Could not create a file in {directory} after {NameAttempts} attempts.");
    }
}

using Eliloader.Formats.OpenPgp;

namespace Eliloader.Verification;

/// <summary>
/// The keys in keyring-dir: every *.gpg (binary) and *.asc (armored) file, in name
/// order. Read only when a signature is checked, never at start-up. A file that
/// cannot be read is left out with a warning: its keys then vouch for nothing.
/// </summary>
public sealed class TrustedKeys
{
    /// <summary>A keyring file is a handful of keys; Debian's removed-keys file is under 200 KB.</summary>
    public const int MaxFileBytes = 16 << 20;

    public Keyring Keyring { get; } = new();

    /// <summary>The files read, and for each one left out, why.</summary>
    public IReadOnlyList<(string File, string? Problem)> Files { get; }

    private TrustedKeys(IReadOnlyList<(string, string?)> files) => Files = files;

    public static TrustedKeys Load(string directory, Action<string> log)
    {
        var files = new List<(string, string?)>();
        var keys = new TrustedKeys(files);
        IEnumerable<string> names = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".gpg", StringComparison.Ordinal) || f.EndsWith(".asc", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];
        foreach (var file in names)
        {
            string? problem = null;
            try
            {
                var length = new FileInfo(file).Length;
                if (length > MaxFileBytes)
                    throw new InvalidDataException($"larger than {MaxFileBytes} bytes");
                keys.Keyring.Add(file, File.ReadAllBytes(file));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problem = e.Message;
                log($"WARNING: keyring {file} left out: {e.Message}");
            }
            files.Add((file, (string?)problem));
        }
        log($"keyrings: {keys.Keyring.Count} keys from {files.Count(f => f.Item2 is null)} files in {directory}");
        return keys;
    }
}

using System.Security.Cryptography;

namespace Eliloader.Tests.Support;

/// <summary>
/// One ganesha for a test class, exporting the recorded mirrors and a scratch directory
/// where tests build their own trees (hostile ones included) while it runs.
/// </summary>
public sealed class NfsExports : IDisposable
{
    public string Scratch { get; } = Path.Combine("/tmp", "eliloader-nfs-export-" + Guid.NewGuid().ToString("N")[..8]);
    public GaneshaServer Server { get; }

    public NfsExports()
    {
        Directory.CreateDirectory(Scratch);
        Server = new GaneshaServer([RepoPaths.Mirrors, Scratch]);
    }

    /// <summary>A new empty directory inside the scratch export.</summary>
    public string Tree()
    {
        var path = Path.Combine(Scratch, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A file of <paramref name="megabytes"/> MiB of repeatable random bytes; returns its SHA-256.</summary>
    public static string WriteRandom(string path, int megabytes, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(seed);
        var chunk = new byte[1 << 20];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = File.Create(path))
        {
            for (var i = 0; i < megabytes; i++)
            {
                random.NextBytes(chunk);
                file.Write(chunk);
                sha.AppendData(chunk);
            }
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    public static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }

    public void Dispose()
    {
        Server.Dispose();
        Directory.Delete(Scratch, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class NfsCollection
{
    public const string Name = "nfs";
}

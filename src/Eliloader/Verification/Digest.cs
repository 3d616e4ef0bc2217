using System.Security.Cryptography;

namespace Eliloader.Verification;

/// <summary>A file's digest by one algorithm, as lower-case hex.</summary>
public sealed record Digest(string Algorithm, string Hex)
{
    public const string Md5 = "md5";
    public const string Sha1 = "sha1";
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private static readonly Dictionary<string, (HashAlgorithmName Name, int HexLength)> Algorithms = new(StringComparer.Ordinal)
    {
        [Md5] = (HashAlgorithmName.MD5, 32),
        [Sha1] = (HashAlgorithmName.SHA1, 40),
        [Sha256] = (HashAlgorithmName.SHA256, 64),
        [Sha512] = (HashAlgorithmName.SHA512, 128),
    };

    /// <summary>A digest as a mirror publishes it, or null when the algorithm is unknown or the hex malformed.</summary>
    public static Digest? TryCreate(string algorithm, string hex)
    {
        var name = algorithm.ToLowerInvariant();
        return Algorithms.TryGetValue(name, out var known) && hex.Length == known.HexLength && hex.All(char.IsAsciiHexDigit)
            ? new Digest(name, hex.ToLowerInvariant())
            : null;
    }

    public static IncrementalHash NewHash(string algorithm) => IncrementalHash.CreateHash(Algorithms[algorithm].Name);

    public override string ToString() => $"{Algorithm}:{Hex}";
}

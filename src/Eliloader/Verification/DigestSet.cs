using System.Security.Cryptography;

namespace Eliloader.Verification;

/// <summary>Several digests of one stream, taken in a single pass as its bytes go by.</summary>
public sealed class DigestSet : IDisposable
{
    private readonly Dictionary<string, IncrementalHash> hashes;

    public DigestSet(IEnumerable<string> algorithms) =>
        hashes = algorithms.Distinct().ToDictionary(a => a, Digest.NewHash);

    public void Append(ReadOnlySpan<byte> data)
    {
        foreach (var hash in hashes.Values)
            hash.AppendData(data);
    }

    /// <summary>The digests of everything appended, by algorithm.</summary>
    public IReadOnlyDictionary<string, string> Finish() =>
        hashes.ToDictionary(kv => kv.Key, kv => Convert.ToHexStringLower(kv.Value.GetHashAndReset()));

    public void Dispose()
    {
        foreach (var hash in hashes.Values)
            hash.Dispose();
    }
}

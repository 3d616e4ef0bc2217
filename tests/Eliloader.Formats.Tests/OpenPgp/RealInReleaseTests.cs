using System.Text;
using Eliloader.Formats.Debian;
using Eliloader.Formats.OpenPgp;
using Eliloader.TestSupport;

namespace Eliloader.Formats.Tests.OpenPgp;

/// <summary>
/// A signed file nobody here wrote: Debian 12's InRelease as apt-get update leaves it
/// in /var/lib/apt/lists (`make setup` runs apt-get update when it is missing), checked
/// against the real debian-archive-keyring, and gpgv asked the same question.
/// </summary>
public sealed class RealInReleaseTests : IDisposable
{
    private const string AptList = "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease";
    private const string DebianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
    private static readonly SignatureRules Rules = new(Sha1Before: null);

    private readonly string directory = Directory.CreateTempSubdirectory("eli-inrelease-").FullName;
    private readonly string inRelease;

    public RealInReleaseTests()
    {
        Assert.True(File.Exists(AptList), $"{AptList} is missing: run `make setup` (it runs apt-get update)");
        Assert.True(File.Exists(DebianKeyring), $"{DebianKeyring} is missing: install debian-archive-keyring");
        inRelease = Path.Combine(directory, "InRelease");
        File.Copy(AptList, inRelease);
    }

    private static Keyring Load(string path)
    {
        var keyring = new Keyring();
        keyring.Add(path, File.ReadAllBytes(path));
        return keyring;
    }

    private static IReadOnlyList<SignatureCheck> Check(string inReleaseText, Keyring keyring)
    {
        var message = ClearsignedText.Parse(inReleaseText);
        return SignatureChecker.Check(message.Signature, message.SignedBytes(), keyring, Rules);
    }

    private static IEnumerable<string> GpgvKeys(GpgvResult result, string keyword) =>
        result.Status.Where(s => s.StartsWith($"[GNUPG:] {keyword} ", StringComparison.Ordinal)).Select(s => s.Split(' ')[2]);

    [Fact]
    public void Verifies_against_the_real_keyring_as_gpgv_does()
    {
        var checks = Check(File.ReadAllText(inRelease), Load(DebianKeyring));
        var gpgv = TestSigningKeys.Gpgv(DebianKeyring, inRelease);

        Assert.Equal(0, gpgv.ExitCode);
        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.Equal(SignatureVerdict.Good, c.Verdict));
        Assert.Equal(GpgvKeys(gpgv, "GOODSIG").Order(), checks.Select(c => c.KeyId).Order());
        Assert.Contains(checks, c => c.UserId == "Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>" && c.Keyring == DebianKeyring);
        // The archive key signs with a subkey: the fingerprint is the subkey's, the user ID the primary's.
        Assert.All(checks, c => Assert.EndsWith(c.KeyId, c.Fingerprint));
    }

    [Theory]
    [InlineData(DebianKeyring)]
    [InlineData("/usr/share/keyrings/debian-archive-removed-keys.gpg")]
    public void Real_keyrings_are_described_as_gpg_shows_them(string path)
    {
        var described = Load(path).Describe();
        var listing = Shell.Run($"gpg --homedir {directory} --batch --with-colons --show-keys {path} 2>/dev/null").Split('\n');
        var expected = new List<(string Fingerprint, long Created, string Expires, string Algorithm)>();
        for (var i = 0; i < listing.Length; i++)
        {
            var fields = listing[i].Split(':');
            if (fields[0] != "pub")
                continue;
            // Debian's keys name a designated revoker (an rvk line) before their own fpr line.
            var fingerprint = listing.Skip(i + 1).First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
            var algorithm = fields[3] switch { "1" => $"rsa{fields[2]}", "17" => $"dsa{fields[2]}", "22" => "ed25519", var a => a };
            expected.Add((fingerprint, long.Parse(fields[5]), fields[6], algorithm));
        }
        Assert.Equal(expected.Count, described.Count);
        foreach (var (key, (fingerprint, created, expires, algorithm)) in described.Zip(expected))
        {
            Assert.Equal(fingerprint, key.Fingerprint);
            Assert.Equal(fingerprint[^16..], key.KeyId);
            Assert.Equal(algorithm, key.Algorithm);
            Assert.Equal(created, new DateTimeOffset(key.Created, TimeSpan.Zero).ToUnixTimeSeconds());
            Assert.Equal(expires, key.Expires is { } day ? new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeSeconds().ToString() : "");
            Assert.Equal(path, key.Source);
        }
        if (path == DebianKeyring)
        {
            var archive = described.Single(k => k.UserIds.Contains("Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>"));
            var subkey = Assert.Single(archive.Subkeys);
            Assert.Equal("6ED0E7B82643E131", subkey.KeyId);
            Assert.Equal("4CB50190207B4758A3F73A796ED0E7B82643E131", subkey.Fingerprint);
            Assert.True(subkey.CanSign);
            Assert.False(subkey.Revoked);
            Assert.Equal(archive.Expires, subkey.Expires);
        }
    }

    [Fact]
    public void A_keyring_switches_off_the_modulus_primality_test()
    {
        // A second of CPU per 4096-bit key on every VM start otherwise (see Keyring).
        Environment.SetEnvironmentVariable("Org.BouncyCastle.Rsa.AllowUnsafeModulus", null);
        _ = new Keyring();
        Assert.Equal("true", Environment.GetEnvironmentVariable("Org.BouncyCastle.Rsa.AllowUnsafeModulus"));
    }

    [Fact]
    public void A_flipped_byte_in_the_signed_text_fails_as_gpgv_says()
    {
        var bytes = File.ReadAllBytes(inRelease);
        var at = Encoding.ASCII.GetString(bytes).IndexOf("Codename: bookworm", StringComparison.Ordinal) + "Codename: ".Length;
        bytes[at] ^= 0x01;
        File.WriteAllBytes(inRelease, bytes);

        var checks = Check(Encoding.UTF8.GetString(bytes), Load(DebianKeyring));
        var gpgv = TestSigningKeys.Gpgv(DebianKeyring, inRelease);

        Assert.NotEqual(0, gpgv.ExitCode);
        Assert.All(checks, c => Assert.Equal(SignatureVerdict.Bad, c.Verdict));
        // gpgv stops at the first bad signature; each it names is one of ours.
        Assert.NotEmpty(GpgvKeys(gpgv, "BADSIG"));
        Assert.Subset(checks.Select(c => c.KeyId).ToHashSet(), GpgvKeys(gpgv, "BADSIG").ToHashSet());
    }

    [Fact]
    public void A_keyring_without_the_signing_keys_names_each_key_id()
    {
        // The bullseye release key signs nothing of bookworm's.
        const string other = "/usr/share/keyrings/debian-archive-bullseye-stable.gpg";
        var checks = Check(File.ReadAllText(inRelease), Load(other));
        var gpgv = TestSigningKeys.Gpgv(other, inRelease);

        Assert.NotEqual(0, gpgv.ExitCode);
        Assert.All(checks, c => Assert.Equal(SignatureVerdict.UnknownKey, c.Verdict));
        Assert.All(checks, c => Assert.Equal($"key {c.KeyId} is in no keyring", c.Reason));
        Assert.Equal(GpgvKeys(gpgv, "NO_PUBKEY").Order(), checks.Select(c => c.KeyId).Order());
    }

    [Fact]
    public void The_release_it_carries_lists_the_installer_checksums()
    {
        var release = ReleaseFile.Parse(ClearsignedText.Parse(File.ReadAllText(inRelease)).Text);

        Assert.Equal("bookworm", release.Field("Codename"));
        var listed = release.For("main/installer-amd64/current/images/SHA256SUMS");
        Assert.Equal(["SHA256", "MD5Sum"], listed.Select(e => e.Field));
        Assert.Equal(64, listed[0].Hex.Length);
        Assert.True(listed[0].Size > 0);
        Assert.Equal(listed[0].Size, listed[1].Size);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

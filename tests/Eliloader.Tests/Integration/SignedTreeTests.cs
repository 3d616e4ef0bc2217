using Eliloader.Tests.Support;
using Eliloader.TestSupport;

namespace Eliloader.Tests.Integration;

/// <summary>The keys of the signed-tree tests, made once (RSA 4096 takes seconds).</summary>
public sealed class SigningKeysFixture : IDisposable
{
    public TestSigningKeys Keys { get; } = new();

    public void Dispose() => Keys.Dispose();
}

/// <summary>
/// Signed install trees made at test time, installed by the published binary over
/// http, https, ftp and a CD: the whole chain (signature, Release, SHA256SUMS, files),
/// every way to tamper with it, each key's case, and the policy. gpgv is asked about
/// every signed file served and must agree with eliloader's verdict.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class SignedTreeTests(NginxMirror mirror, SigningKeysFixture fixture) : IClassFixture<SigningKeysFixture>, IDisposable
{
    private static readonly string[] Trusted =
        [TestSigningKeys.Archive, TestSigningKeys.Subkeyed, TestSigningKeys.Expired, TestSigningKeys.Lapsed, TestSigningKeys.Revoked];

    private readonly Scenario host = new();
    private readonly TestSigningKeys keys = fixture.Keys;

    private (string Directory, string Url) Tree(string signer, ReleaseSigning signing = ReleaseSigning.InRelease)
    {
        var (directory, url) = mirror.ScratchTree();
        SignedTrees.DebianRelease(directory, keys, signer, signing);
        host.Config["keyring-dir"] = SignedTrees.KeyringDir(host.Directory, keys, Trusted);
        return (directory, url);
    }

    private ProcessResult Install(string repository, string distro = "debianlike", string image = "")
    {
        host.AddVm(distro == "debianlike"
            ? MirrorTrees.DebianVm(repository, SignedTrees.Release)
            : new() { ["install-distro"] = distro, ["install-arch"] = "x86_64", ["install-repository"] = repository });
        return host.RunAsXenopsd(image);
    }

    /// <summary>gpgv's verdict on the tree's signed Release, with the keys eliloader trusts.</summary>
    private bool GpgvAccepts(string directory)
    {
        var keyring = Path.Combine(host.Config["keyring-dir"], "trusted.gpg");
        var release = Path.Combine(directory, SignedTrees.ReleaseDir);
        var result = File.Exists(Path.Combine(release, "InRelease"))
            ? TestSigningKeys.Gpgv(keyring, Path.Combine(release, "InRelease"))
            : TestSigningKeys.Gpgv(keyring, Path.Combine(release, "Release.gpg"), Path.Combine(release, "Release"));
        return result.AcceptedUnderEliloaderRules(keys.Expiries());
    }

    private void AssertInstalled(ProcessResult result, string directory)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        var (kernel, ramdisk, _) = BootLine.ParseSxp(host, result.Stdout);
        BootLine.AssertFiles(host, kernel, ramdisk, Path.Combine(directory, SignedTrees.Kernel), Path.Combine(directory, SignedTrees.Ramdisk));
    }

    private void AssertRefused(ProcessResult result, params string[] named)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("RuntimeError: INVALID_SOURCE\n", result.Stderr);
        foreach (var part in named)
            Assert.Contains(part, result.Stderr);
        Assert.Empty(host.BootFiles());
        Assert.Empty(Directory.Exists(Path.Combine(host.Directory, "cache", "objects")) ? Directory.GetFiles(Path.Combine(host.Directory, "cache", "objects")) : []);
    }

    public static TheoryData<string, ReleaseSigning> GoodSigners => new()
    {
        { TestSigningKeys.Archive, ReleaseSigning.InRelease },
        { TestSigningKeys.Archive, ReleaseSigning.DetachedReleaseGpg },
        { TestSigningKeys.Subkeyed, ReleaseSigning.InRelease },
        { TestSigningKeys.Subkeyed, ReleaseSigning.DetachedReleaseGpg },
        { TestSigningKeys.Expired, ReleaseSigning.InRelease },
    };

    [Theory]
    [MemberData(nameof(GoodSigners))]
    public void A_signed_release_installs_over_http_and_gpgv_agrees(string signer, ReleaseSigning signing)
    {
        var (directory, url) = Tree(signer, signing);
        var result = Install(url);
        AssertInstalled(result, directory);
        Assert.True(GpgvAccepts(directory));
        var signedFile = url + SignedTrees.ReleaseDir + (signing == ReleaseSigning.InRelease ? "InRelease" : "Release");
        var log = host.Syslog.Drain();
        Assert.Contains(log, m => m.Contains($"{signedFile} is signed by key {keys.SigningKeyId(signer)} (Test ") && m.Contains("it lists main/installer-amd64/current/images/SHA256SUMS (SHA256, which matches)"));
        Assert.DoesNotContain(log, m => m.Contains("WARNING:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_signed_release_installs_over_https()
    {
        var (directory, url) = Tree(TestSigningKeys.Archive);
        host.Config["ca-bundle"] = mirror.Certificates.CaCertificate;
        host.Config["signatures"] = "require";
        AssertInstalled(Install(url.Replace(mirror.HttpUrl, mirror.HttpsUrl)), directory);
        Assert.True(GpgvAccepts(directory));
    }

    [Fact]
    public void A_signed_release_installs_over_ftp()
    {
        var (directory, _) = Tree(TestSigningKeys.Subkeyed, ReleaseSigning.DetachedReleaseGpg);
        using var ftp = FtpMirror.Serving(directory);
        host.Config["signatures"] = "require";
        AssertInstalled(Install(ftp.Url), directory);
        Assert.True(GpgvAccepts(directory));
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"{ftp.Url}{SignedTrees.ReleaseDir}Release is signed by key {keys.SigningKeyId(TestSigningKeys.Subkeyed)}"));
    }

    [Fact]
    public void A_url_inside_the_release_finds_its_release_file()
    {
        var (directory, url) = Tree(TestSigningKeys.Archive);
        host.Config["signatures"] = "require";
        AssertInstalled(Install(url + SignedTrees.ReleaseDir), directory);
    }

    [Fact]
    public void A_signed_debian_cd_installs_under_require()
    {
        var tree = Path.Combine(host.Directory, "cd");
        SignedTrees.DebianCd(tree, keys, TestSigningKeys.Archive);
        host.Config["keyring-dir"] = SignedTrees.KeyringDir(host.Directory, keys, Trusted);
        host.Config["signatures"] = "require";
        var result = Install("cdrom", image: MediumBuilder.ImageOf(tree));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var (kernel, ramdisk, _) = BootLine.ParseSxp(host, result.Stdout);
        BootLine.AssertFiles(host, kernel, ramdisk, Path.Combine(tree, "install.amd/xen/vmlinuz"), Path.Combine(tree, "install.amd/xen/initrd.gz"));
        var release = Path.Combine(tree, SignedTrees.ReleaseDir);
        Assert.True(TestSigningKeys.Gpgv(Path.Combine(host.Config["keyring-dir"], "trusted.gpg"), Path.Combine(release, "Release.gpg"), Path.Combine(release, "Release")).Has("GOODSIG"));
    }

    public static TheoryData<string, string> RefusedSigners => new()
    {
        { TestSigningKeys.Lapsed, "expired (2021-01-01)" },
        { TestSigningKeys.Revoked, "is revoked" },
        { TestSigningKeys.Stranger, "is in no keyring of " },
    };

    [Theory]
    [MemberData(nameof(RefusedSigners))]
    public void A_release_no_trusted_key_vouches_for_is_refused_and_gpgv_agrees(string signer, string why)
    {
        var (directory, url) = Tree(signer);
        var result = Install(url);
        AssertRefused(result, $"The signature {url}{SignedTrees.ReleaseDir}InRelease of {url}{SignedTrees.ReleaseDir}InRelease is not valid: key {keys.SigningKeyId(signer)}", why);
        Assert.False(GpgvAccepts(directory));
    }

    [Fact]
    public void A_hostile_mirror_with_a_consistent_tree_and_its_own_key_is_refused_and_diagnose_says_why()
    {
        var (_, url) = Tree(TestSigningKeys.Stranger, ReleaseSigning.DetachedReleaseGpg);
        AssertRefused(Install(url), $"key {keys.SigningKeyId(TestSigningKeys.Stranger)} is in no keyring of {host.Config["keyring-dir"]}");
        var diagnose = host.Run("diagnose", "--other-config", "install-distro=debianlike", "--other-config", $"install-repository={url}",
            "--other-config", $"debian-release={SignedTrees.Release}", "--other-config", "install-arch=amd64");
        Assert.Equal(1, diagnose.ExitCode);
        Assert.Contains($"INVALID_SOURCE: The signature {url}{SignedTrees.ReleaseDir}Release.gpg of {url}{SignedTrees.ReleaseDir}Release is not valid: key {keys.SigningKeyId(TestSigningKeys.Stranger)}: key {keys.SigningKeyId(TestSigningKeys.Stranger)} is in no keyring", diagnose.Stdout);
    }

    public static TheoryData<string> Tamperings => new() { "kernel", "SHA256SUMS", "Release", "signature", "other text" };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Every_tampering_is_invalid_source_and_leaves_nothing(string what)
    {
        var (directory, url) = Tree(TestSigningKeys.Archive, ReleaseSigning.DetachedReleaseGpg);
        var release = Path.Combine(directory, SignedTrees.ReleaseDir);
        string expected;
        switch (what)
        {
            case "kernel":
                SignedTrees.FlipByte(Path.Combine(directory, SignedTrees.Kernel), 100);
                expected = $"File '{url}{SignedTrees.Kernel}' does not match the sha256 checksum published in {url}{SignedTrees.Images}SHA256SUMS";
                break;
            case "SHA256SUMS":
                SignedTrees.FlipByte(Path.Combine(directory, SignedTrees.Images, "SHA256SUMS"), 3);
                expected = $"{url}{SignedTrees.Images}SHA256SUMS does not match what the signed {url}{SignedTrees.ReleaseDir}Release lists for it: SHA256";
                break;
            case "Release":
                File.WriteAllText(Path.Combine(release, "Release"), File.ReadAllText(Path.Combine(release, "Release")).Replace("Label: Test", "Label: Tesu"));
                expected = "the signature does not match the signed text";
                break;
            case "signature":
                var armored = File.ReadAllLines(Path.Combine(release, "Release.gpg"));
                var body = Array.FindIndex(armored, 1, l => l.Length == 0) + 3;
                armored[body] = (armored[body][0] == 'A' ? 'B' : 'A') + armored[body][1..];
                File.WriteAllLines(Path.Combine(release, "Release.gpg"), armored.Where(l => !l.StartsWith('=')));
                expected = "is not valid: key ";
                break;
            default:
                File.WriteAllText(Path.Combine(release, "Release.gpg"), keys.DetachSign(TestSigningKeys.Archive, "Origin: Other\n"u8.ToArray()));
                expected = "the signature does not match the signed text";
                break;
        }
        AssertRefused(Install(url), expected);
        if (what is "Release" or "signature" or "other text")
            Assert.False(GpgvAccepts(directory));
    }

    [Fact]
    public void An_unsigned_release_installs_with_a_warning_under_verify_and_is_refused_under_require()
    {
        var (directory, url) = Tree(TestSigningKeys.Archive, ReleaseSigning.Unsigned);
        AssertInstalled(Install(url), directory);
        Assert.Contains(host.Syslog.Drain(), m => m.EndsWith($": WARNING: {url}{SignedTrees.Kernel} is not authenticated by a signature: the tree publishes no signature: {url}{SignedTrees.ReleaseDir}Release has no InRelease or Release.gpg beside it", StringComparison.Ordinal));

        using var strict = new Scenario();
        strict.Config["signatures"] = "require";
        strict.AddVm(MirrorTrees.DebianVm(url, SignedTrees.Release));
        var refused = strict.RunAsXenopsd();
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nNo verified signature vouches for {url}{SignedTrees.Kernel} (signatures = require): the tree publishes no signature: {url}{SignedTrees.ReleaseDir}Release has no InRelease or Release.gpg beside it.\n", refused.Stderr);
        Assert.Empty(strict.BootFiles());
    }

    [Fact]
    public void Signatures_off_checks_no_signature()
    {
        var (directory, url) = Tree(TestSigningKeys.Stranger);
        host.Config["signatures"] = "off";
        AssertInstalled(Install(url), directory);
    }

    [Fact]
    public void A_signed_suse_medium_installs_and_its_own_content_key_is_not_trusted()
    {
        var (directory, url) = mirror.ScratchTree();
        SignedTrees.SuseMedium(directory, keys, TestSigningKeys.Archive);
        host.Config["keyring-dir"] = SignedTrees.KeyringDir(host.Directory, keys, Trusted);
        host.Config["signatures"] = "require";
        var result = Install(url, "sleslike");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"{url}content is signed by key {keys.SigningKeyId(TestSigningKeys.Archive)}"));
        Assert.True(TestSigningKeys.Gpgv(Path.Combine(host.Config["keyring-dir"], "trusted.gpg"), Path.Combine(directory, "content.asc"), Path.Combine(directory, "content")).Has("GOODSIG"));

        // A medium signed by its own key, which it also carries as content.key.
        var (hostile, hostileUrl) = mirror.ScratchTree();
        SignedTrees.SuseMedium(hostile, keys, TestSigningKeys.Stranger);
        using var other = new Scenario();
        other.Config["keyring-dir"] = host.Config["keyring-dir"];
        other.AddVm(new() { ["install-distro"] = "sleslike", ["install-arch"] = "x86_64", ["install-repository"] = hostileUrl });
        var refused = other.RunAsXenopsd();
        Assert.StartsWith($"RuntimeError: INVALID_SOURCE\nThe signature {hostileUrl}content.asc of {hostileUrl}content is not valid: key {keys.SigningKeyId(TestSigningKeys.Stranger)}: key {keys.SigningKeyId(TestSigningKeys.Stranger)} is in no keyring", refused.Stderr);
        Assert.Empty(other.BootFiles());
        Assert.False(TestSigningKeys.Gpgv(Path.Combine(host.Config["keyring-dir"], "trusted.gpg"), Path.Combine(hostile, "content.asc"), Path.Combine(hostile, "content")).Has("GOODSIG"));
    }

    [Fact]
    public void Rhlike_is_refused_under_require_and_installs_with_a_warning_under_verify()
    {
        // CentOS 7 lists its images' digests in .treeinfo [checksums], which nothing signs.
        var repository = mirror.HttpUrl + "centos/7.9.2009/os/x86_64";
        host.Config["signatures"] = "require";
        var refused = Install(repository, "rhlike");
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nNo verified signature vouches for {repository}/images/pxeboot/vmlinuz (signatures = require): Red Hat trees sign nothing above their packages: .treeinfo is not authenticated.\n", refused.Stderr);
        Assert.Empty(host.BootFiles());

        using var lenient = new Scenario();
        lenient.AddVm(new() { ["install-distro"] = "rhlike", ["install-repository"] = repository });
        var result = lenient.RunAsXenopsd();
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains(lenient.Syslog.Drain(), m => m.Contains($": WARNING: {repository}/images/pxeboot/vmlinuz is not authenticated by a signature: Red Hat trees sign nothing above their packages: .treeinfo is not authenticated", StringComparison.Ordinal));
    }

    [Fact]
    public void Diagnose_shows_each_signature_and_the_chain()
    {
        var (_, url) = Tree(TestSigningKeys.Subkeyed);
        var result = host.Run("diagnose", "--other-config", "install-distro=debianlike", "--other-config", $"install-repository={url}",
            "--other-config", $"debian-release={SignedTrees.Release}", "--other-config", "install-arch=amd64");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var keyId = keys.SigningKeyId(TestSigningKeys.Subkeyed);
        Assert.Contains($"{url}{SignedTrees.ReleaseDir}InRelease: key {keyId} (Test Subkey Signer <subkeyed@example.org>), fingerprint ", result.Stdout);
        Assert.Contains($", keyring {host.Config["keyring-dir"]}/trusted.gpg, made ", result.Stdout);
        Assert.Contains("with SHA256: valid, good signature", result.Stdout);
        Assert.Contains($"it lists main/installer-amd64/current/images/SHA256SUMS (SHA256, which matches); the checksum list vouches for {url}{SignedTrees.Kernel}", result.Stdout);
    }

    [Fact]
    public void Prefetch_keeps_nothing_from_a_tree_whose_signature_fails()
    {
        var (_, url) = Tree(TestSigningKeys.Revoked);
        var result = host.Run("prefetch", "--distro", "debianlike", "--release", SignedTrees.Release, "--arch", "amd64", "--repository", url);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"key {keys.SigningKeyId(TestSigningKeys.Revoked)} is revoked", result.Stderr);
        Assert.Empty(Directory.Exists(Path.Combine(host.Directory, "cache", "objects")) ? Directory.GetFiles(Path.Combine(host.Directory, "cache", "objects")) : []);
    }

    [Fact]
    public void Keys_list_prints_fingerprints_user_ids_and_expiry()
    {
        host.Config["keyring-dir"] = SignedTrees.KeyringDir(host.Directory, keys, Trusted);
        File.WriteAllText(Path.Combine(host.Config["keyring-dir"], "archive.asc"), keys.ArmoredPublicKeys(TestSigningKeys.Archive));
        File.WriteAllText(Path.Combine(host.Config["keyring-dir"], "broken.gpg"), "not a key");
        var result = host.Run("keys", "list");
        Assert.Equal(1, result.ExitCode);
        var fingerprint = keys.Fingerprint(TestSigningKeys.Archive);
        var grouped = string.Join(" ", Enumerable.Range(0, 10).Select(i => fingerprint.Substring(i * 4, 4)));
        Assert.Contains($"{host.Config["keyring-dir"]}/archive.asc:\n  pub   rsa4096 ", result.Stdout);
        Assert.Contains($" [no expiry]\n        {grouped}\n  uid   Test Archive Signing Key <archive@example.org>\n", result.Stdout);
        Assert.Contains("  pub   rsa2048 2020-01-01 [expired 2021-01-01]\n", result.Stdout);
        Assert.Contains("[revoked]", result.Stdout);
        Assert.Contains($"  sub   {keys.SigningKeyId(TestSigningKeys.Subkeyed)} ", result.Stdout);
        Assert.Contains("[no expiry], signs\n", result.Stdout);
        Assert.Contains($"{host.Config["keyring-dir"]}/broken.gpg: cannot be read: ", result.Stdout);
    }

    public void Dispose() => host.Dispose();
}

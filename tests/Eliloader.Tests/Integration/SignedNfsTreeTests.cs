using Eliloader.Tests.Support;
using Eliloader.TestSupport;

namespace Eliloader.Tests.Integration;

/// <summary>
/// The signature chain over NFS: a Debian tree signed at test time, exported by a real
/// nfs-ganesha and read by the built-in client under signatures = require. The chain is
/// the same as over http (SignedTreeTests); what these show is that InRelease, Release,
/// Release.gpg and SHA256SUMS are read through NFS too, that gpgv agrees, and that a
/// tampered list leaves nothing behind: no boot file, no mount, nothing in temp-dir.
/// </summary>
[Collection(NfsCollection.Name)]
public sealed class SignedNfsTreeTests(NfsExports nfs, SigningKeysFixture fixture) : IClassFixture<NfsExports>, IClassFixture<SigningKeysFixture>, IDisposable
{
    private readonly Scenario host = NfsScenario.Create();
    private readonly TestSigningKeys keys = fixture.Keys;

    private (string Directory, string Repository) Tree(ReleaseSigning signing)
    {
        var directory = nfs.Tree();
        SignedTrees.DebianRelease(directory, keys, TestSigningKeys.Archive, signing);
        host.Config["keyring-dir"] = SignedTrees.KeyringDir(host.Directory, keys, TestSigningKeys.Archive);
        host.Config["signatures"] = "require";
        return (directory, $"nfs:127.0.0.1:{directory}");
    }

    private ProcessResult Install(string repository)
    {
        var index = host.State.Vms.Count + 1;
        var uuid = $"nfs-signed-{index}";
        host.AddVm(MirrorTrees.DebianVm(repository, SignedTrees.Release), uuid, domid: 40 + index);
        return host.Run("-q", "--vm", uuid, "");
    }

    [Theory]
    [InlineData(ReleaseSigning.InRelease, "InRelease")]
    [InlineData(ReleaseSigning.DetachedReleaseGpg, "Release")]
    public void A_signed_release_installs_over_nfs_under_require_and_gpgv_agrees(ReleaseSigning signing, string signedFile)
    {
        var (directory, repository) = Tree(signing);
        var release = Path.Combine(directory, SignedTrees.ReleaseDir);
        Assert.Contains($" {signedFile}\n", nfs.Server.List(release));

        var result = Install(repository);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(directory, SignedTrees.Kernel), Path.Combine(directory, SignedTrees.Ramdisk));
        var log = host.Syslog.Drain();
        Assert.Contains(log, m => m.Contains($"{repository}/{SignedTrees.ReleaseDir}{signedFile} is signed by key {keys.SigningKeyId(TestSigningKeys.Archive)} (Test ")
            && m.Contains("it lists main/installer-amd64/current/images/SHA256SUMS (SHA256, which matches)"));
        Assert.DoesNotContain(log, m => m.Contains("WARNING:", StringComparison.Ordinal));
        var keyring = Path.Combine(host.Config["keyring-dir"], "trusted.gpg");
        var gpgv = signing == ReleaseSigning.InRelease
            ? TestSigningKeys.Gpgv(keyring, Path.Combine(release, "InRelease"))
            : TestSigningKeys.Gpgv(keyring, Path.Combine(release, "Release.gpg"), Path.Combine(release, "Release"));
        Assert.True(gpgv.AcceptedUnderEliloaderRules(keys.Expiries()));
        NfsScenario.AssertNothingLeft(host, failed: false);
    }

    [Fact]
    public void A_tampered_checksum_list_over_nfs_is_invalid_source_and_leaves_nothing()
    {
        var (directory, repository) = Tree(ReleaseSigning.InRelease);
        SignedTrees.FlipByte(Path.Combine(directory, SignedTrees.Images, "SHA256SUMS"), 3);

        var result = Install(repository);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("RuntimeError: INVALID_SOURCE\n", result.Stderr);
        Assert.Contains($"{repository}/{SignedTrees.Images}SHA256SUMS does not match what the signed {repository}/{SignedTrees.ReleaseDir}InRelease lists for it: SHA256", result.Stderr);
        NfsScenario.AssertNothingLeft(host);
    }

    public void Dispose() => host.Dispose();
}

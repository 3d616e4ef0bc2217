using Eliloader.Install;
using Eliloader.Repositories;
using Eliloader.Verification;
using Eliloader.Xen.Pygrub;

namespace Eliloader.Families;

/// <summary>
/// SUSE Linux Enterprise: the -xen (x86_64) or -xenpae (i386) kernel under boot/,
/// then the plain loader/ kernel of media that ship no Xen flavour (SLES 12). The
/// second round tells pygrub where the kernel is when the installed system has no
/// menu.lst (SLES 9/10 on Xen).
/// </summary>
public sealed class SlesLike : DistroFamily
{
    public override string Name => "sleslike";

    public override int Rounds => 2;

    public override IEnumerable<BootFilePaths> Candidates(InstallRequest request, RepositoryLocation location, IRepository repository)
    {
        var (directory, flavour) = Layout(request);
        yield return new BootFilePaths($"{directory}vmlinuz-{flavour}", $"{directory}initrd-{flavour}");
        yield return new BootFilePaths($"{directory}loader/linux", $"{directory}loader/initrd", Newer: true);
    }

    public override string ExtraArgs(InstallRequest request, RepositoryLocation location) =>
        location.Kind == RepositoryKind.Cdrom ? " install=hd" : " install=" + location.Url;

    /// <summary>
    /// The medium's content file lists its boot files' digests (HASH lines) and is signed
    /// by content.asc, checked with the administrator's keys: the medium's own content.key
    /// is never trusted on its own say-so.
    /// </summary>
    public override IEnumerable<ChecksumList> ChecksumLists(InstallRequest request, BootFilePaths located) =>
        [new SuseContentFile("content") { Authority = new DetachedSignatureAuthority("content.asc") }];

    public override string MissingFileMessage(string url) =>
        $"The repository specified did not contain a required file, {url}.";

    public override IReadOnlyList<string> SecondRoundPygrubArgs(PygrubRunner pygrub, InstallRequest request, string image, Action<string> log)
    {
        var plain = pygrub.Run("-q", "-n", image);
        if (PygrubRunner.HasFailed(plain))
            throw PygrubRunner.Failed(plain);
        if (plain.ExitCode == 0)
            return [];
        var (_, flavour) = Layout(request);
        foreach (var prefix in new[] { "/", "/boot/" })
        {
            string[] choice = ["--kernel", $"{prefix}vmlinuz-{flavour}", "--ramdisk", $"{prefix}initrd-{flavour}"];
            var probe = pygrub.Run(["-n", .. choice, image]);
            if (PygrubRunner.HasFailed(probe))
                throw PygrubRunner.Failed(probe);
            if (probe.ExitCode == 0)
                return choice;
        }
        return [];
    }

    private static (string Directory, string Flavour) Layout(InstallRequest request) =>
        request.Arch == "x86_64" ? ("boot/x86_64/", "xen") : ("boot/i386/", "xenpae");
}

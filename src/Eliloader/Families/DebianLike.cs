using System.Text.RegularExpressions;
using Eliloader.Errors;
using Eliloader.Install;
using Eliloader.Repositories;
using Eliloader.Verification;

namespace Eliloader.Families;

/// <summary>
/// Debian and Ubuntu: the netboot Xen kernel under the release's installer tree
/// (Debian lenny to today, Ubuntu lucid to trusty), then Ubuntu's later
/// legacy-images tree. A repository URL may already point inside a release (…/dists/wheezy/).
/// On a CD: install.386/ or install.amd/ (its xen/ kernel first), then install/.
/// </summary>
public sealed partial class DebianLike : DistroFamily
{
    public override string Name => "debianlike";

    public override int Rounds => 1;

    public override IEnumerable<BootFilePaths> Candidates(InstallRequest request, RepositoryLocation location, IRepository repository)
    {
        var arch = InstallerArch(request.Arch);
        var release = RequiredRelease(request);
        if (location.Kind == RepositoryKind.Cdrom)
        {
            var medium = arch == "i386" ? "install.386/" : "install.amd/";
            yield return new BootFilePaths(medium + "xen/vmlinuz", medium + "xen/initrd.gz");
            yield return new BootFilePaths(medium + "vmlinuz", medium + "initrd.gz");
            yield return new BootFilePaths("install/vmlinuz", "install/initrd.gz");
            yield break;
        }
        var dists = InsideRelease().IsMatch(location.Url) ? "" : $"dists/{release}/";
        var installer = $"{dists}main/installer-{arch}/current/";
        yield return new BootFilePaths(installer + "images/netboot/xen/vmlinuz", installer + "images/netboot/xen/initrd.gz");
        yield return new BootFilePaths(installer + "legacy-images/netboot/xen/vmlinuz", installer + "legacy-images/netboot/xen/initrd.gz", Newer: true);
    }

    /// <summary>
    /// An installer tree publishes SHA256SUMS (and, up to squeeze, only MD5SUMS) in its
    /// images/ directory, and the release's Release file (InRelease, or Release with
    /// Release.gpg) lists their digests: the release directory is the one above the
    /// component that holds installer-&lt;arch&gt;/, for a URL inside dists/&lt;release&gt;/ too.
    /// A CD publishes sha256sum.txt and md5sum.txt at its root; its Release is
    /// dists/&lt;codename&gt;/ on the medium, where the medium carries one.
    /// </summary>
    public override IEnumerable<ChecksumList> ChecksumLists(InstallRequest request, BootFilePaths located)
    {
        var parts = located.Kernel.Split('/');
        var images = Array.FindLastIndex(parts, part => part is "images" or "legacy-images");
        if (images < 0)
        {
            var medium = new ReleaseFileAuthority($"dists/{request.DebianRelease}/");
            return [new SumsFile("sha256sum.txt", Digest.Sha256) { Authority = medium }, new SumsFile("md5sum.txt", Digest.Md5) { Authority = medium }];
        }
        var directory = string.Join('/', parts[..(images + 1)]) + "/";
        var installer = Array.FindLastIndex(parts, images, part => part.StartsWith("installer-", StringComparison.Ordinal));
        var release = new ReleaseFileAuthority(installer > 0 ? string.Concat(parts[..(installer - 1)].Select(part => part + "/")) : "");
        return [new SumsFile(directory + "SHA256SUMS", Digest.Sha256) { Authority = release }, new SumsFile(directory + "MD5SUMS", Digest.Md5) { Authority = release }];
    }

    public override string ExtraArgs(InstallRequest request, RepositoryLocation location) => "";

    private static string RequiredRelease(InstallRequest request) =>
        string.IsNullOrEmpty(request.DebianRelease)
            ? throw new ApiError(ApiError.UnsupportedInstallMethod,
                $"other-config:{OtherConfigKeys.DebianRelease} was not set to an appropriate value, and this is required for the selected distribution type.")
            : request.DebianRelease;

    /// <summary>Debian names the 64-bit PC port amd64; x86_64 is accepted as the same thing.</summary>
    private static string InstallerArch(string arch) => arch switch
    {
        "i386" => "i386",
        "amd64" or "x86_64" => "amd64",
        _ => throw new ApiError(ApiError.UnsupportedInstallMethod,
            $"other-config:{OtherConfigKeys.InstallArch} is '{arch}', which debianlike does not support (i386, amd64, x86_64)."),
    };

    /// <summary>
    /// The Python loader's test: "/dists/" followed by anything that is not only slashes,
    /// so …/dists//jessie/ is inside a release and …/dists/ is not.
    /// </summary>
    [GeneratedRegex("/dists/.*[^/]", RegexOptions.Singleline)]
    private static partial Regex InsideRelease();
}

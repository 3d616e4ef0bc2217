using System.Text.RegularExpressions;
using Eliloader.Errors;
using Eliloader.Formats.TreeInfo;
using Eliloader.Install;
using Eliloader.Repositories;
using Eliloader.Verification;
using Eliloader.Xen.Pygrub;

namespace Eliloader.Families;

/// <summary>
/// Red Hat and its rebuilds (CentOS, Oracle, Scientific, Asianux, NeoKylin…):
/// images/xen/ when its vmlinuz exists, else isolinux/, as the Python loader chose,
/// then the kernel the tree's .treeinfo names in [images-xen] for trees that have
/// neither kernel. The second
/// round steers pygrub away from Oracle's el5uek kernels, which cannot boot as PV guests.
/// </summary>
public sealed partial class RhLike : DistroFamily
{
    private static readonly string[] TreeInfoNames = [".treeinfo", "treeinfo"];
    private const string XenImagesSection = "images-xen";

    public override string Name => "rhlike";

    public override int Rounds => 2;

    public override IEnumerable<BootFilePaths> Candidates(InstallRequest request, RepositoryLocation location, IRepository repository)
    {
        yield return new BootFilePaths("images/xen/vmlinuz", "images/xen/initrd.img");
        yield return new BootFilePaths("isolinux/vmlinuz", "isolinux/initrd.img");
        if (FromTreeInfo(repository) is { } named)
            yield return named;
    }

    /// <summary>Trees from RHEL 6 on list their images' digests in .treeinfo [checksums].</summary>
    public override IEnumerable<ChecksumList> ChecksumLists(BootFilePaths located) =>
        TreeInfoNames.Select(name => new TreeInfoChecksums(name));

    public override string ExtraArgs(InstallRequest request, RepositoryLocation location) =>
        location.Kind == RepositoryKind.Cdrom ? "" : "method=" + location.Url;

    public override IReadOnlyList<string> SecondRoundPygrubArgs(PygrubRunner pygrub, InstallRequest request, string image)
    {
        var listing = pygrub.Run("-q", "-l", image);
        if (listing.ExitCode != 0)
            throw PygrubRunner.Failed(listing);
        var titles = PygrubListing.Titles(listing.Stdout);
        if (!titles.Any(t => UekTitle().IsMatch(t)))
            return [];
        var entry = titles.FindIndex(t => !UekTitle().IsMatch(t));
        if (entry < 0)
            throw new ApiError(ApiError.InvalidSource,
                $"Every boot entry of the installed system is an Oracle el5uek kernel, which cannot boot as a PV guest: {string.Join("; ", titles)}.");
        return ["--entry", entry.ToString(System.Globalization.CultureInfo.InvariantCulture)];
    }

    private static BootFilePaths? FromTreeInfo(IRepository repository)
    {
        var name = TreeInfoNames.FirstOrDefault(repository.Exists);
        if (name is null)
            return null;
        TreeInfoFile treeInfo;
        try
        {
            using var file = repository.Open(name);
            treeInfo = TreeInfoFile.Read(file.Content);
        }
        catch (SourceUnavailableException e)
        {
            throw new ApiError(ApiError.InvalidSource, $"Unable to read {e.Url}: {e.Reason}.");
        }
        catch (Exception e) when (e is InvalidDataException or Formats.LimitExceededException)
        {
            throw new ApiError(ApiError.InvalidSource, $"{repository.Describe(name)}: {e.Message}.");
        }
        var kernel = treeInfo.Get(XenImagesSection, "kernel");
        var initrd = treeInfo.Get(XenImagesSection, "initrd");
        if (kernel is null)
            return null;
        return new BootFilePaths(TreePath(repository, name, kernel), initrd is null ? null : TreePath(repository, name, initrd), Newer: true);
    }

    /// <summary>A path named by .treeinfo must stay inside the tree.</summary>
    private static string TreePath(IRepository repository, string treeInfo, string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Split('/').Any(part => part is ".." or "") && !path.Any(char.IsControl)
            ? path
            : throw new ApiError(ApiError.InvalidSource, $"{repository.Describe(treeInfo)} names '{path}' in [{XenImagesSection}], which is not a path inside the tree.");

    [GeneratedRegex("Oracle.*el5uek", RegexOptions.IgnoreCase)]
    private static partial Regex UekTitle();
}

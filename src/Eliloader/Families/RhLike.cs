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

    /// <summary>
    /// Trees from RHEL 6 on list their images' digests in .treeinfo [checksums]. Red Hat
    /// signs nothing above its packages, so the list stays unauthenticated, and says so.
    /// </summary>
    public override IEnumerable<ChecksumList> ChecksumLists(InstallRequest request, BootFilePaths located) =>
        TreeInfoNames.Select(name => new TreeInfoChecksums(name) { Authority = Unsigned });

    private static readonly NoAuthority Unsigned = new("Red Hat trees sign nothing above their packages: .treeinfo is not authenticated");

    public override string ExtraArgs(InstallRequest request, RepositoryLocation location) =>
        location.Kind == RepositoryKind.Cdrom ? "" : "method=" + location.Url;

    /// <summary>
    /// Oracle Linux lists its el5uek kernels first: boot the first listed entry that is
    /// neither one of them nor a chainloader. The listing runs with -n, so pygrub
    /// copies nothing out (without it, it leaves two empty files in its directory).
    /// </summary>
    public override IReadOnlyList<string> SecondRoundPygrubArgs(PygrubRunner pygrub, InstallRequest request, string image, Action<string> log)
    {
        var result = pygrub.Run("-q", "-n", "-l", image);
        if (result.ExitCode != 0)
            throw PygrubRunner.Failed(result);
        var listing = PygrubListing.Read(result.Stdout);
        if (listing.StoppedAt is { } stop)
            log($"pygrub's listing stopped at {stop}; entries after it are not seen");
        if (!listing.Entries.Any(e => UekTitle().IsMatch(e.Title)))
            return [];
        var entry = listing.Entries.ToList().FindIndex(e => e.HasKernel && !UekTitle().IsMatch(e.Title));
        if (entry >= 0)
            return ["--entry", entry.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var titles = string.Join("; ", listing.Entries.Select(e => e.Title));
        throw new ApiError(ApiError.InvalidSource, listing.StoppedAt is { } at
            ? $"pygrub's listing of the installed system stopped at {at}, and every entry up to it is an Oracle el5uek kernel, which cannot boot as a PV guest, or has no kernel: {titles}."
            : $"Every boot entry of the installed system is an Oracle el5uek kernel, which cannot boot as a PV guest: {titles}.");
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

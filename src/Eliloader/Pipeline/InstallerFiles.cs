using Eliloader.Boot;
using Eliloader.Families;
using Eliloader.Repositories;
using Eliloader.Verification;

namespace Eliloader.Pipeline;

/// <summary>
/// The installer kernel and ramdisk a family located, fetched within the limits and
/// checked against the digests the tree publishes: for a boot, a diagnosis with
/// --fetch, and a prefetch alike.
/// </summary>
public static class InstallerFiles
{
    public static (FetchedFile Kernel, FetchedFile? Ramdisk) Fetch(IRepository repository, DistroFamily family, BootFilePaths paths,
        PublishedChecksums published, Limits limits, BootFileFetcher fetcher, bool ramdiskMd5)
    {
        var kernel = fetcher.Fetch(repository, new BootFileRequest(paths.Kernel, "vmlinuz", limits.Kernel, published.For(paths.Kernel), Md5: false), family.MissingFileMessage);
        var ramdisk = paths.Ramdisk is null
            ? null
            : fetcher.Fetch(repository, new BootFileRequest(paths.Ramdisk, "ramdisk", limits.Ramdisk, published.For(paths.Ramdisk), ramdiskMd5), family.MissingFileMessage);
        return (kernel, ramdisk);
    }
}

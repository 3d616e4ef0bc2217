using Eliloader.Boot;
using Eliloader.Cache;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Install;
using Eliloader.Pipeline;
using Eliloader.Repositories;
using Eliloader.Verification;

namespace Eliloader.Commands;

/// <summary>What to prefetch: a template's install keys (or --distro …) and the repository.</summary>
public sealed record PrefetchOptions(IReadOnlyDictionary<string, string> OtherConfig, string Image);

/// <summary>
/// `eliloader prefetch`: fills the image cache with a release's installer kernel and
/// ramdisk ahead of time, by the same path a first boot takes (located, checked
/// against the published checksums, within the host's limits), so the VMs' first
/// boots copy them from the cache instead of downloading them.
/// </summary>
public sealed class Prefetch(Settings settings, TextWriter output, IProgressDisplay progress, RunCleanup cleanup, Action<string> log)
{
    public void Run(PrefetchOptions options)
    {
        var cache = ImageCache.Required(settings, cleanup, log);
        var request = InstallRequest.FromOtherConfig(options.OtherConfig);
        var family = DistroFamilies.Find(request.Distro);
        var location = RepositoryLocation.Parse(request.Repository);
        if (location.Kind == RepositoryKind.Cdrom)
            throw new ApiError(ApiError.UnsupportedInstallMethod, "A cdrom install reads its medium in place; there is nothing to prefetch.");
        // The host's limits: the VMs that will use these files are not known yet.
        var limits = LimitsReader.Read(settings, "", log);
        using var repository = RepositoryFactory.Open(location, request, options.Image, settings, cleanup, log);
        var paths = family.Locate(request, location, repository);
        var published = PublishedChecksums.For(repository, family, request, paths, settings, log);
        var scratch = new BootDirectory(ScratchDirectory.Create(settings.TempDir, cleanup), cleanup, log);
        var (kernel, ramdisk) = InstallerFiles.Fetch(repository, family, paths, published, limits,
            new BootFileFetcher(scratch, cache, progress, log), ramdiskMd5: true);
        var uncached = new List<string>();
        foreach (var file in new[] { kernel, ramdisk }.OfType<FetchedFile>())
        {
            output.WriteLine($"{Said(file.Delivery)}: {file.Url} ({file.Length} bytes, "
                + (file.Verified is { } sum ? $"{sum.Digest.Algorithm} as published in {sum.ListUrl})" : "no published checksum)"));
            if (file.Delivery == Delivery.Downloaded)
                uncached.Add(file.Url);
        }
        if (uncached.Count > 0)
            throw new ApiError(ApiError.InternalError, $"Not kept in the cache, as its source gives nothing to revalidate it with later: {string.Join(", ", uncached)}.");
    }

    private static string Said(Delivery delivery) => delivery switch
    {
        Delivery.FromCache => "already cached",
        Delivery.DownloadedAndCached => "cached",
        _ => "downloaded, not cacheable",
    };

    public static void ListTemplates(TextWriter output)
    {
        foreach (var template in TemplateTable.All)
            output.WriteLine(template.Name);
    }
}

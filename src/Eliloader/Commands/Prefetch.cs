using Eliloader.Boot;
using Eliloader.Cache;
using Eliloader.CommandLine;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Install;
using Eliloader.Pipeline;
using Eliloader.Repositories;
using Eliloader.Verification;

namespace Eliloader.Commands;

/// <summary>What to prefetch: a template's install keys (or --distro …) and the repository.</summary>
public sealed record PrefetchOptions(IReadOnlyDictionary<string, string> OtherConfig, string Image, bool ListTemplates, bool Help);

/// <summary>
/// `eliloader prefetch`: fills the image cache with a release's installer kernel and
/// ramdisk ahead of time, by the same path a first boot takes (located, checked
/// against the published checksums, within the host's limits), so the VMs' first
/// boots copy them from the cache instead of downloading them.
/// </summary>
public sealed class Prefetch(Settings settings, TextWriter output, IProgressDisplay progress, RunCleanup cleanup, Action<string> log)
{
    public const string Usage = """
        Usage: eliloader prefetch --template <name> --repository <url>
               eliloader prefetch --distro <family> [--release <name>] [--arch <arch>] --repository <url>
               eliloader prefetch --list-templates

        Fills the image cache (cache-dir) with an install's kernel and ramdisk, exactly
        as a first boot would fetch them: found in the repository, checked against the
        checksums the mirror publishes, within the host's size limits. A file already
        cached is only revalidated. --template takes a template's name as XenCenter
        shows it (--list-templates prints them all); --distro, --release (debian-release)
        and --arch (install-arch) give the keys directly. --repository is the VMs'
        install-repository (http, https, ftp or nfs; a CD needs no prefetch).
        Exit status: 0 when both files are in the cache, 1 when not, 2 usage.
        """;

    public static PrefetchOptions Parse(IReadOnlyList<string> args)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new OptionReader(args, "prefetch");
        while (options.Next())
        {
            switch (options.Current)
            {
                case "--help" or "-h":
                    return new PrefetchOptions(keys, "", ListTemplates: false, Help: true);
                case "--list-templates":
                    return new PrefetchOptions(keys, "", ListTemplates: true, Help: false);
                case "--template":
                    var name = options.Value();
                    var template = TemplateTable.Find(name) ?? throw new UsageException($"no template is named '{name}' (see --list-templates)");
                    foreach (var (key, value) in template.OtherConfig)
                        keys[key] = value;
                    break;
                case "--distro":
                    keys[OtherConfigKeys.InstallDistro] = options.Value();
                    break;
                case "--release":
                    keys[OtherConfigKeys.DebianRelease] = options.Value();
                    break;
                case "--arch":
                    keys[OtherConfigKeys.InstallArch] = options.Value();
                    break;
                case "--repository":
                    keys[OtherConfigKeys.InstallRepository] = options.Value();
                    break;
                default:
                    throw options.Unknown();
            }
        }
        if (!keys.ContainsKey(OtherConfigKeys.InstallDistro))
            throw new UsageException("prefetch needs --template or --distro");
        if (!keys.ContainsKey(OtherConfigKeys.InstallRepository))
            throw new UsageException("prefetch needs --repository");
        return new PrefetchOptions(keys, "", ListTemplates: false, Help: false);
    }

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

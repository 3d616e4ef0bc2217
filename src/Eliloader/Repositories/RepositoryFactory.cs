using Eliloader.Boot;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Install;
using Eliloader.Repositories.Nfs;

namespace Eliloader.Repositories;

/// <summary>Opens the repository a location names, with the settings each kind needs.</summary>
public static class RepositoryFactory
{
    /// <param name="image">The caller's image argument: the CD drive, for a cdrom install.</param>
    public static IRepository Open(RepositoryLocation location, InstallRequest request, string image, Settings settings, RunCleanup cleanup, Action<string> log)
    {
        switch (location.Kind)
        {
            case RepositoryKind.Http:
                var scheme = Uri.TryCreate(location.Url, UriKind.Absolute, out var uri) ? uri.Scheme : "";
                if (scheme is not ("http" or "https"))
                    throw new ApiError(ApiError.InvalidSource, $"'{location.Url}' is not a valid http or https URL.");
                if (request.Proxy is { } proxy && !Uri.TryCreate(proxy, UriKind.Absolute, out _))
                    throw new ApiError(ApiError.InvalidSource, $"other-config:{OtherConfigKeys.InstallProxy} '{proxy}' is not a valid proxy URL.");
                return new HttpRepository(location.Url, request.Proxy, TimeSpan.FromSeconds(settings.DownloadTimeout), TransferFloor.From(settings), settings.CaBundle, log);
            case RepositoryKind.Ftp:
                if (!Uri.TryCreate(location.Url, UriKind.Absolute, out var ftp) || ftp.Scheme != "ftp")
                    throw new ApiError(ApiError.InvalidSource, $"'{location.Url}' is not a valid ftp URL.");
                return new FtpRepository(location.Url, TimeSpan.FromSeconds(settings.DownloadTimeout), TransferFloor.From(settings), log);
            case RepositoryKind.Nfs:
                var export = NfsExport.Parse(request.Repository!);
                return settings.NfsClient == NfsClientSetting.Mount
                    ? NfsMountedRepository.Open(export, request.Repository!, location.Url, settings, cleanup, log)
                    : NfsRepository.Open(export, request.Repository!, location.Url, TimeSpan.FromSeconds(settings.DownloadTimeout), TransferFloor.From(settings), log);
            default: // RepositoryKind.Cdrom
                return new IsoRepository(image, log);
        }
    }
}

using Eliloader.Errors;
using Eliloader.Install;

namespace Eliloader.Repositories;

public enum RepositoryKind
{
    Cdrom,
    Http,
    Ftp,
    Nfs,
}

/// <summary>
/// other-config:install-repository, checked as the Python loader checked it: exactly
/// "cdrom", or a value starting http (so https too), ftp or nfs. URLs get a trailing "/".
/// </summary>
public sealed record RepositoryLocation(RepositoryKind Kind, string Url)
{
    public const string Cdrom = "cdrom";

    public static RepositoryLocation Parse(string? value)
    {
        if (value == Cdrom)
            return new RepositoryLocation(RepositoryKind.Cdrom, Cdrom);
        RepositoryKind? kind = value switch
        {
            not null when value.StartsWith("http", StringComparison.Ordinal) => RepositoryKind.Http,
            not null when value.StartsWith("ftp", StringComparison.Ordinal) => RepositoryKind.Ftp,
            not null when value.StartsWith("nfs", StringComparison.Ordinal) => RepositoryKind.Nfs,
            _ => null,
        };
        if (kind is null)
            throw new ApiError(ApiError.UnsupportedInstallMethod,
                $"other-config:{OtherConfigKeys.InstallRepository} was not set to an appropriate value, and this is required for the selected distribution type.");
        return new RepositoryLocation(kind.Value, value!.EndsWith('/') ? value : value + "/");
    }
}

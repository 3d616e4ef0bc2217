using System.Text.RegularExpressions;
using Eliloader.Errors;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// An NFS install-repository in one of its three spellings: nfs:server:/path,
/// nfs://server/path and nfs://server:/path.
/// </summary>
public sealed partial record NfsExport(string Server, string Directory)
{
    public string MountSource => $"{Server}:{Directory}";

    public static NfsExport Parse(string repository)
    {
        string server, directory;
        if (repository.StartsWith("nfs://", StringComparison.Ordinal))
        {
            var rest = repository["nfs://".Length..];
            var slash = rest.IndexOf('/');
            if (slash < 0)
                throw Malformed();
            server = rest[..slash].TrimEnd(':');
            directory = rest[slash..];
        }
        else
        {
            var parts = repository.Split(':', 3);
            if (parts.Length < 3)
                throw Malformed();
            (server, directory) = (parts[1], parts[2]);
        }
        if (!directory.StartsWith('/'))
            throw new ApiError(ApiError.InvalidSource, "Directory part of NFS path was not an absolute path.");
        // The server goes to mount(8) as an argument: nothing it could take for an option.
        if (!ServerName().IsMatch(server) || directory.Any(char.IsControl))
            throw Malformed();
        return new NfsExport(server, directory.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/");
    }

    private static ApiError Malformed() => new(ApiError.InvalidSource, "NFS path was not in a valid format");

    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_][A-Za-z0-9_.-]*)$")]
    private static partial Regex ServerName();
}

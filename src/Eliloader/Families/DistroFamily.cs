using Eliloader.Errors;
using Eliloader.Install;
using Eliloader.Repositories;

namespace Eliloader.Families;

/// <summary>A kernel and ramdisk, as paths inside a repository.</summary>
public sealed record BootFilePaths(string Kernel, string? Ramdisk);

/// <summary>
/// One install-distro value: how many boots its install takes, where its tree keeps
/// the installer kernel and ramdisk, and which kernel args it adds.
/// </summary>
public abstract class DistroFamily
{
    public abstract string Name { get; }

    /// <summary>Boots the install goes through before the installed system boots with pygrub.</summary>
    public abstract int Rounds { get; }

    /// <summary>Candidate pairs, tried in order; the first whose files exist wins.</summary>
    public abstract IEnumerable<BootFilePaths> Candidates(InstallRequest request, RepositoryLocation location);

    /// <summary>The family's part of the kernel command line (protocol section 5), spacing included.</summary>
    public abstract string ExtraArgs(InstallRequest request, RepositoryLocation location);

    /// <summary>The INVALID_SOURCE message for a required file the repository lacks.</summary>
    public virtual string MissingFileMessage(string url) =>
        $"Unable to access a required file in the specified repository: {url}.";

    public BootFilePaths Locate(InstallRequest request, RepositoryLocation location, IRepository repository)
    {
        string? firstMissing = null;
        foreach (var candidate in Candidates(request, location))
        {
            var missing = new[] { candidate.Kernel, candidate.Ramdisk }
                .OfType<string>()
                .FirstOrDefault(path => !repository.Exists(path));
            if (missing is null)
                return candidate;
            firstMissing ??= repository.Describe(missing);
        }
        throw new ApiError(ApiError.InvalidSource, MissingFileMessage(firstMissing ?? repository.Describe("")));
    }
}

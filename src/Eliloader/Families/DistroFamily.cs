using Eliloader.Errors;
using Eliloader.Install;
using Eliloader.Repositories;
using Eliloader.Verification;
using Eliloader.Xen.Pygrub;

namespace Eliloader.Families;

/// <summary>A kernel and ramdisk, as paths inside a repository.</summary>
/// <param name="Newer">
/// A layout the Python loader never looked for. Tried after the Python loader's own
/// candidates, so a tree it handled gives the same files; errors still name the
/// file the Python loader would have named. The Python loader chose among its own
/// candidates by the kernel alone, so one of those whose kernel exists is the answer,
/// and its missing ramdisk the error; a newer layout needs both files to be chosen.
/// </param>
public sealed record BootFilePaths(string Kernel, string? Ramdisk, bool Newer = false);

/// <summary>
/// One install-distro value: how many boots its install takes, where its tree keeps
/// the installer kernel and ramdisk, which kernel args it adds, and how the last
/// round chooses pygrub's arguments.
/// </summary>
public abstract class DistroFamily
{
    public abstract string Name { get; }

    /// <summary>Boots the install goes through before the installed system boots with pygrub.</summary>
    public abstract int Rounds { get; }

    /// <summary>Candidate pairs, tried in order (see <see cref="BootFilePaths.Newer"/> for which one wins).</summary>
    public abstract IEnumerable<BootFilePaths> Candidates(InstallRequest request, RepositoryLocation location, IRepository repository);

    /// <summary>The family's part of the kernel command line (docs/protocol.md section 5), spacing included.</summary>
    public abstract string ExtraArgs(InstallRequest request, RepositoryLocation location);

    /// <summary>Where the tree publishes digests of the located files, most trusted first, each with what signs it; none by default.</summary>
    public virtual IEnumerable<ChecksumList> ChecksumLists(InstallRequest request, BootFilePaths located) => [];

    /// <summary>
    /// A round before the first or beyond the family's last is UNSUPPORTED_INSTALL_METHOD.
    /// (The Python loader printed nothing for such a round, exited 0 and bumped
    /// install-round; for round 2 of a one-round family it printed the code alone.)
    /// </summary>
    public void CheckRound(int round)
    {
        if (round < 1 || round > Rounds)
            throw new ApiError(ApiError.UnsupportedInstallMethod,
                $"other-config:{OtherConfigKeys.InstallRound} is {round}, but a {Name} install has {Rounds} round{(Rounds == 1 ? "" : "s")}.");
    }

    /// <summary>The INVALID_SOURCE message for a required file the repository lacks.</summary>
    public virtual string MissingFileMessage(string url) =>
        $"Unable to access a required file in the specified repository: {url}.";

    /// <summary>
    /// Round 2: the arguments pygrub needs to boot the installed system, which are also
    /// saved as PV-bootloader-args. Empty when pygrub copes on its own.
    /// </summary>
    public virtual IReadOnlyList<string> SecondRoundPygrubArgs(PygrubRunner pygrub, InstallRequest request, string image, Action<string> log) => [];

    /// <param name="observe">Told of every file looked for (its URL) and what looking found, for diagnosis.</param>
    public BootFilePaths Locate(InstallRequest request, RepositoryLocation location, IRepository repository, Action<string, Lookup>? observe = null)
    {
        string? reported = null;
        foreach (var candidate in Candidates(request, location, repository))
        {
            string missing;
            if (!Exists(candidate.Kernel))
                missing = candidate.Kernel;
            else if (candidate.Ramdisk is null || Exists(candidate.Ramdisk))
                return candidate;
            else if (!candidate.Newer)
                throw new ApiError(ApiError.InvalidSource, MissingFileMessage(repository.Describe(candidate.Ramdisk)));
            else
                missing = candidate.Ramdisk;
            if (!candidate.Newer || reported is null)
                reported = repository.Describe(missing);
        }
        throw new ApiError(ApiError.InvalidSource, MissingFileMessage(reported ?? repository.Describe("")));

        bool Exists(string path)
        {
            var lookup = repository.Look(path);
            observe?.Invoke(repository.Describe(path), lookup);
            return lookup.Exists;
        }
    }
}

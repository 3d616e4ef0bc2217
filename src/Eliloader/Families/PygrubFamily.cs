using Eliloader.Errors;
using Eliloader.Install;
using Eliloader.Repositories;

namespace Eliloader.Families;

/// <summary>
/// Media whose installer pygrub can boot; over the network the VM names the kernel
/// and ramdisk inside the repository with install-kernel and install-ramdisk.
/// </summary>
public sealed class PygrubFamily : DistroFamily
{
    public override string Name => "pygrub";

    public override int Rounds => 1;

    public override IEnumerable<BootFilePaths> Candidates(InstallRequest request, RepositoryLocation location, IRepository repository)
    {
        if (string.IsNullOrEmpty(request.InstallKernel))
            throw new ApiError(ApiError.InvalidSource, "install-distro=pygrub requires install-kernel for network boot");
        yield return new BootFilePaths(request.InstallKernel, string.IsNullOrEmpty(request.InstallRamdisk) ? null : request.InstallRamdisk);
    }

    public override string ExtraArgs(InstallRequest request, RepositoryLocation location) => "";
}

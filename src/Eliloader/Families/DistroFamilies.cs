using Eliloader.Errors;

namespace Eliloader.Families;

/// <summary>The install-distro values eliloader knows, each one small type.</summary>
public static class DistroFamilies
{
    private static readonly DistroFamily[] All = [new RhLike(), new SlesLike(), new DebianLike(), new PygrubFamily()];

    public static DistroFamily Find(string distro) =>
        All.FirstOrDefault(family => family.Name == distro)
        ?? throw new ApiError(ApiError.UnsupportedInstallMethod, $"Distribution '{distro}' is not supported.");
}

using System.Globalization;
using Eliloader.Errors;

namespace Eliloader.Install;

/// <summary>The install keys of a VM's other-config, with protocol section 3's defaults applied.</summary>
public sealed record InstallRequest(
    string? Repository,
    string Distro,
    string Arch,
    string? DebianRelease,
    int Round,
    bool Vnc,
    string? VncPassword,
    string? InstallArgs,
    string? InstallKernel,
    string? InstallRamdisk,
    string? Proxy)
{
    public const string DefaultDistro = "rhlike";
    public const string DefaultArch = "i386";

    public static InstallRequest FromOtherConfig(IReadOnlyDictionary<string, string> otherConfig)
    {
        string? Get(string key) => otherConfig.TryGetValue(key, out var value) ? value : null;

        return new InstallRequest(
            Repository: Get(OtherConfigKeys.InstallRepository),
            Distro: Get(OtherConfigKeys.InstallDistro) ?? DefaultDistro,
            Arch: Get(OtherConfigKeys.InstallArch) ?? DefaultArch,
            DebianRelease: Get(OtherConfigKeys.DebianRelease),
            Round: ParseRound(Get(OtherConfigKeys.InstallRound)),
            Vnc: Get(OtherConfigKeys.InstallVnc) is "1" or "true",
            VncPassword: Get(OtherConfigKeys.InstallVncPassword),
            InstallArgs: Get(OtherConfigKeys.InstallArgs),
            InstallKernel: Get(OtherConfigKeys.InstallKernel),
            InstallRamdisk: Get(OtherConfigKeys.InstallRamdisk),
            Proxy: Get(OtherConfigKeys.InstallProxy));
    }

    private static int ParseRound(string? value)
    {
        if (value is null)
            return 1;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var round) && round >= 1
            ? round
            : throw new ApiError(ApiError.UnsupportedInstallMethod,
                $"other-config:{OtherConfigKeys.InstallRound} is '{value}', which is not a round number.");
    }
}

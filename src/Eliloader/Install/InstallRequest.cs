using Eliloader.Errors;

namespace Eliloader.Install;

/// <summary>
/// The install keys of a VM's other-config, with the defaults of docs/protocol.md section 3 applied.
/// A key present with an empty value counts as the Python loader counted it, except where
/// docs/compatibility.md's differences say otherwise:
/// install-args "" is present (its space is added), install-vncpasswd "" and
/// install-proxy "" are absent (Python tested them for truth), and install-kernel "" and
/// install-ramdisk "" are absent too (Python fetched the repository's directory for them).
/// </summary>
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
        string? NonEmpty(string key) => Get(key) is { Length: > 0 } value ? value : null;

        return new InstallRequest(
            Repository: Get(OtherConfigKeys.InstallRepository),
            Distro: Get(OtherConfigKeys.InstallDistro) ?? DefaultDistro,
            Arch: Get(OtherConfigKeys.InstallArch) ?? DefaultArch,
            DebianRelease: Get(OtherConfigKeys.DebianRelease),
            Round: ParseRound(Get(OtherConfigKeys.InstallRound)),
            Vnc: Get(OtherConfigKeys.InstallVnc) is "1" or "true",
            VncPassword: NonEmpty(OtherConfigKeys.InstallVncPassword),
            InstallArgs: Get(OtherConfigKeys.InstallArgs),
            InstallKernel: NonEmpty(OtherConfigKeys.InstallKernel),
            InstallRamdisk: NonEmpty(OtherConfigKeys.InstallRamdisk),
            Proxy: NonEmpty(OtherConfigKeys.InstallProxy));
    }

    /// <summary>
    /// install-round as Python's int() read it (" 2" and "+2" are round 2). Whether the
    /// family has that round is <see cref="Families.DistroFamily.CheckRound"/>'s question.
    /// </summary>
    private static int ParseRound(string? value)
    {
        if (value is null)
            return 1;
        return PythonInt.TryParse(value, out var round) && round is >= int.MinValue and <= int.MaxValue
            ? (int)round
            : throw new ApiError(ApiError.UnsupportedInstallMethod,
                $"other-config:{OtherConfigKeys.InstallRound} is '{value}', which is not a round number.");
    }
}

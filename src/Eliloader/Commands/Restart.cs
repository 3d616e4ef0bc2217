using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Install;
using Eliloader.Xen.XenApi;

namespace Eliloader.Commands;

/// <summary>
/// `eliloader restart --vm UUID [--distro D]`: puts a VM back to the start of its
/// install, as administrators did by hand by setting PV-bootloader back to eliloader:
/// PV-bootloader = eliloader, PV-bootloader-args cleared, install-round reset,
/// install-distro and the platform size keys restored from the record eliloader
/// kept when the install ended (or install-distro from --distro). Says what it changed.
/// </summary>
public sealed class Restart(Settings settings, TextWriter output, Action<string> log)
{
    public void Run(string uuid, string? distro)
    {
        var recordPath = InstallRecord.PathFor(settings.StateDir, uuid);
        var record = InstallRecord.Load(recordPath);
        using var session = LocalXenApi.Open(settings, log);
        var vm = VmApi.ByUuid(session, uuid);
        var otherConfig = vm.GetOtherConfig();
        var installDistro = distro ?? record?.InstallDistro ?? otherConfig.GetValueOrDefault(OtherConfigKeys.InstallDistro)
            ?? throw new ApiError(ApiError.UnsupportedInstallMethod,
                $"There is no record of VM {uuid}'s install-distro in {recordPath}: give it with --distro.");
        Families.DistroFamilies.Find(installDistro);

        vm.SetPvBootloader("eliloader");
        Changed("PV-bootloader = eliloader");
        vm.SetPvBootloaderArgs("");
        Changed("PV-bootloader-args cleared");
        vm.RemoveFromOtherConfig(OtherConfigKeys.InstallRound);
        Changed($"other-config:{OtherConfigKeys.InstallRound} removed (round 1)");
        vm.RemoveFromOtherConfig(OtherConfigKeys.InstallDistro);
        vm.AddToOtherConfig(OtherConfigKeys.InstallDistro, installDistro);
        Changed($"other-config:{OtherConfigKeys.InstallDistro} = {installDistro}");
        if (record is not null)
        {
            foreach (var key in InstallRecord.PlatformKeys)
            {
                vm.RemoveFromPlatform(key);
                if (record.Platform.TryGetValue(key, out var value))
                {
                    vm.AddToPlatform(key, value);
                    Changed($"platform:{key} = {value}");
                }
            }
        }
    }

    private void Changed(string what)
    {
        output.WriteLine(what);
        log("restart: " + what);
    }
}

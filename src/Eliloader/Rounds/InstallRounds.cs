using System.Globalization;
using Eliloader.Install;
using Eliloader.Xen.XenApi;

namespace Eliloader.Rounds;

/// <summary>
/// The VM changes between boots of an install (docs/protocol.md section 4): handing the VM
/// to pygrub and counting rounds. Failures the Python loader ignored are logged and ignored.
/// </summary>
/// <param name="recordPath">Where to keep the install's beginning for `eliloader restart` (see <see cref="InstallRecord"/>).</param>
public sealed class InstallRounds(VmApi vm, Action<string> log, string recordPath, string installDistro)
{
    private Dictionary<string, string>? platformBefore;

    public const string Pygrub = "pygrub";

    /// <summary>The platform keys whose post-install values replace the installer's limits.</summary>
    private static readonly (string From, string To)[] PostInstallLimits =
    [
        ("pv-postinstall-kernel-max-size", "pv-kernel-max-size"),
        ("pv-postinstall-ramdisk-max-size", "pv-ramdisk-max-size"),
    ];

    public void SwitchToPygrub()
    {
        vm.SetPvBootloader(Pygrub);
        log($"PV-bootloader set to {Pygrub}");
        var platform = vm.GetPlatform();
        platformBefore = InstallRecord.PlatformKeys.Where(platform.ContainsKey).ToDictionary(k => k, k => platform[k]);
        foreach (var (from, to) in PostInstallLimits)
        {
            if (!platform.TryGetValue(from, out var value))
                continue;
            Ignoring($"remove platform:{to}", () => vm.RemoveFromPlatform(to));
            Ignoring($"set platform:{to} = {value}", () => vm.AddToPlatform(to, value));
            Ignoring($"remove platform:{from}", () => vm.RemoveFromPlatform(from));
        }
    }

    /// <summary>After a CD install boot, the next boot is from the VM's first disk (userdevice 0).</summary>
    public void BootFromDiskNext()
    {
        foreach (var vbd in vm.GetVbds())
        {
            var bootable = vm.GetVbdUserdevice(vbd) == "0";
            vm.SetVbdBootable(vbd, bootable);
            log($"VBD {vbd} bootable = {bootable}");
        }
    }

    /// <summary>Ends this round: the next one is recorded, or the install is over and install-distro goes.</summary>
    public void Finish(int current, int needed)
    {
        Ignoring($"remove other-config:{OtherConfigKeys.InstallRound}", () => vm.RemoveFromOtherConfig(OtherConfigKeys.InstallRound));
        if (current < needed)
        {
            var next = (current + 1).ToString(CultureInfo.InvariantCulture);
            vm.AddToOtherConfig(OtherConfigKeys.InstallRound, next);
            log($"other-config:{OtherConfigKeys.InstallRound} = {next}");
        }
        else
        {
            // A template made from the installed VM must not look like an installer.
            vm.RemoveFromOtherConfig(OtherConfigKeys.InstallDistro);
            log($"install finished: other-config:{OtherConfigKeys.InstallDistro} removed");
            Remember();
        }
    }

    /// <summary>Keeps how the install began; losing the record costs only `restart --distro`, never the boot.</summary>
    private void Remember()
    {
        try
        {
            new InstallRecord(installDistro, platformBefore ?? []).Save(recordPath);
            log($"install record kept in {recordPath}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"could not keep the install record {recordPath}: {e.Message}");
        }
    }

    private void Ignoring(string what, Action call)
    {
        try
        {
            call();
            log(what);
        }
        catch (XenApiFailure failure)
        {
            log($"{what}: ignored {failure.Message}");
        }
    }
}

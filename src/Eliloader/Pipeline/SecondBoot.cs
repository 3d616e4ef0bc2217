using Eliloader.Families;
using Eliloader.Install;
using Eliloader.Rounds;
using Eliloader.Xen.Pygrub;
using Eliloader.Xen.XenApi;

namespace Eliloader.Pipeline;

/// <summary>
/// Round 2 of an install (docs/protocol.md section 4): work out what pygrub needs to boot the
/// installed system, save it as PV-bootloader-args, hand the VM to pygrub, finish the
/// rounds, and become pygrub with the caller's own arguments less --vm.
/// </summary>
public sealed class SecondBoot(string stateDir, Action<string> log)
{
    public ExecPygrub Run(VmApi vm, Call call, InstallRequest request, DistroFamily family, PygrubRunner pygrub)
    {
        var extra = family.SecondRoundPygrubArgs(pygrub, request, call.Image, log);
        if (extra.Count > 0)
        {
            var saved = string.Join(" ", extra);
            vm.SetPvBootloaderArgs(saved);
            log($"PV-bootloader-args set to '{saved}'");
        }
        var rounds = new InstallRounds(vm, log, InstallRecord.PathFor(stateDir, call.VmUuid), request.Distro);
        rounds.SwitchToPygrub();
        rounds.Finish(request.Round, family.Rounds);
        return new ExecPygrub(pygrub.Path, pygrub.WithFormat([.. extra, .. call.PygrubArgv]));
    }
}

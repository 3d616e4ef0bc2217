using Eliloader.Boot;
using Eliloader.CommandLine;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Install;
using Eliloader.Output;
using Eliloader.Xen.Pygrub;
using Eliloader.Xen.XenApi;

namespace Eliloader.Pipeline;

/// <summary>
/// What the toolstack asks for: read the VM's install keys over XenAPI, run the
/// round they name, and return the boot configuration for stdout.
/// </summary>
public sealed class BootRun(Settings settings, RunCleanup cleanup, Action<string> log)
{
    public BootOutcome Run(Invocation invocation, IReadOnlyList<string> argv, IBootConfigWriter writer)
    {
        try
        {
            using var session = LocalXenApi.Open(settings, log);
            var vm = VmApi.ByUuid(session, invocation.VmUuid);
            var otherConfig = vm.GetOtherConfig();
            log("other-config: " + string.Join(", ", otherConfig.Where(kv => kv.Key.StartsWith("install-") || kv.Key == OtherConfigKeys.DebianRelease)
                .Select(kv => kv.Key == OtherConfigKeys.InstallVncPassword ? $"{kv.Key}=<hidden>" : $"{kv.Key}={kv.Value}")));
            var request = InstallRequest.FromOtherConfig(otherConfig);
            var family = DistroFamilies.Find(request.Distro);
            family.CheckRound(request.Round);
            var pygrub = new PygrubRunner(settings.Pygrub, writer is SimpleWriter, TimeSpan.FromSeconds(settings.PygrubTimeout), log);
            var call = new Call(invocation, argv);
            if (request.Round == 1)
                return new PrintBootConfig(new FirstBoot(settings, cleanup, log).Run(vm, call, request, family, writer, pygrub));
            return new SecondBoot(settings.StateDir, log).Run(vm, call, request, family, pygrub);
        }
        catch (XenApiFailure failure)
        {
            throw ApiError.From(failure);
        }
    }
}

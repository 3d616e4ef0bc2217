using Eliloader.Boot;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Install;
using Eliloader.Output;
using Eliloader.Repositories;
using Eliloader.Rounds;
using Eliloader.Xen.Pygrub;
using Eliloader.Xen.XenApi;
using Eliloader.Xen.Xenstore;

namespace Eliloader.Pipeline;

/// <summary>
/// Round 1 of an install: get the installer kernel and ramdisk into the boot
/// directory within the limits (or, for the pygrub family's CD install, from pygrub),
/// build the boot configuration, and record the round on the VM. Returns the text for
/// stdout; the VM is changed only once that text is known.
/// </summary>
public sealed class FirstBoot(Settings settings, RunCleanup cleanup, Action<string> log)
{
    public string Run(VmApi vm, Call call, InstallRequest request, DistroFamily family, IBootConfigWriter writer, PygrubRunner pygrub)
    {
        var location = RepositoryLocation.Parse(request.Repository);
        var limits = LimitsReader.Read(
            () => new XenstoreClient(settings.XenstoreSocket, TimeSpan.FromSeconds(settings.DownloadTimeout)), call.VmUuid, log);
        var (kernel, ramdisk) = family is PygrubFamily && location.Kind == RepositoryKind.Cdrom
            ? new PygrubMedium(pygrub, cleanup, log).BootFiles(call.Argv, limits)
            : Fetch(call.Image, request, family, location, limits);
        var args = KernelArgs.Build(call.Invocation.CallerArgs, family.ExtraArgs(request, location), request);
        var output = writer.Write(new BootConfig(kernel, ramdisk, args));

        var rounds = new InstallRounds(vm, log);
        if (location.Kind == RepositoryKind.Cdrom)
            rounds.BootFromDiskNext();
        if (family.Rounds == 1)
            rounds.SwitchToPygrub();
        rounds.Finish(request.Round, family.Rounds);
        return output;
    }

    private (string Kernel, string? Ramdisk) Fetch(string image, InstallRequest request, DistroFamily family, RepositoryLocation location, Limits limits)
    {
        using var repository = RepositoryFactory.Open(location, request, image, settings, cleanup, log);
        var paths = family.Locate(request, location, repository);
        var bootDir = new BootDirectory(settings.BootDir, cleanup, log);
        var kernel = Receive(repository, family, bootDir, paths.Kernel, "vmlinuz", limits.Kernel);
        var ramdisk = paths.Ramdisk is null ? null : Receive(repository, family, bootDir, paths.Ramdisk, "ramdisk", limits.Ramdisk);
        return (kernel, ramdisk);
    }

    private string Receive(IRepository repository, DistroFamily family, BootDirectory bootDir, string path, string prefix, long limit)
    {
        RemoteFile file;
        try
        {
            file = repository.Open(path);
        }
        catch (SourceUnavailableException e)
        {
            log($"cannot open {e.Url}: {e.Reason}");
            throw new ApiError(ApiError.InvalidSource, family.MissingFileMessage(e.Url));
        }
        using (file)
        {
            try
            {
                return bootDir.Receive(file, prefix, limit);
            }
            catch (SourceUnavailableException e)
            {
                throw new ApiError(ApiError.InvalidSource, $"Download of '{e.Url}' failed: {e.Reason}.");
            }
        }
    }
}

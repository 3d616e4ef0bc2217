using Eliloader.Boot;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Fixups;
using Eliloader.Install;
using Eliloader.Output;
using Eliloader.Repositories;
using Eliloader.Rounds;
using Eliloader.Xen.Pygrub;
using Eliloader.Xen.XenApi;

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
        var limits = LimitsReader.Read(settings, call.VmUuid, log);
        var (kernel, ramdisk) = family is PygrubFamily && location.Kind == RepositoryKind.Cdrom
            ? new PygrubMedium(pygrub, cleanup, log).BootFiles(call.Argv, limits)
            : Fetch(call.Image, request, family, location, limits);
        var args = KernelArgs.Build(call.Invocation.CallerArgs, family.ExtraArgs(request, location), request);
        var output = writer.Write(new BootConfig(kernel, ramdisk, args));

        var rounds = new InstallRounds(vm, log, InstallRecord.PathFor(settings.StateDir, call.VmUuid), request.Distro);
        if (location.Kind == RepositoryKind.Cdrom)
            rounds.BootFromDiskNext();
        if (family.Rounds == 1)
            rounds.SwitchToPygrub();
        rounds.Finish(request.Round, family.Rounds);
        return output;
    }

    private (string Kernel, string? Ramdisk) Fetch(string image, InstallRequest request, DistroFamily family, RepositoryLocation location, Limits limits)
    {
        var maps = GuestInstallerMaps.Load(settings.GuestInstallerDir);
        using var repository = RepositoryFactory.Open(location, request, image, settings, cleanup, log);
        var paths = family.Locate(request, location, repository);
        var bootDir = new BootDirectory(settings.BootDir, cleanup, log);
        var (kernel, _) = Receive(repository, family, bootDir, paths.Kernel, "vmlinuz", limits.Kernel, md5: false);
        if (paths.Ramdisk is null)
            return (kernel, null);
        // The MD5 is only worth taking when some map could name the ramdisk.
        var (ramdisk, digest) = Receive(repository, family, bootDir, paths.Ramdisk, "ramdisk", limits.Ramdisk, md5: maps.Count > 0);
        return digest is null
            ? (kernel, ramdisk)
            : (kernel, new RamdiskPatcher(settings, maps, bootDir, log).Apply(ramdisk, digest, repository.Describe(paths.Ramdisk), limits.Ramdisk));
    }

    private (string Path, string? Md5) Receive(IRepository repository, DistroFamily family, BootDirectory bootDir, string path, string prefix, long limit, bool md5)
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
                return bootDir.Receive(file, prefix, limit, md5);
            }
            catch (SourceUnavailableException e)
            {
                throw new ApiError(ApiError.InvalidSource, $"Download of '{e.Url}' failed: {e.Reason}.");
            }
        }
    }
}

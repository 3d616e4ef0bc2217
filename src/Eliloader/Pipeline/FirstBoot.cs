using Eliloader.Boot;
using Eliloader.Cache;
using Eliloader.Configuration;
using Eliloader.Families;
using Eliloader.Fixups;
using Eliloader.Install;
using Eliloader.Output;
using Eliloader.Repositories;
using Eliloader.Rounds;
using Eliloader.Verification;
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
            ? new PygrubMedium(pygrub, new PygrubFiles(settings.PygrubDir, settings.BootDir, cleanup), log).BootFiles(call.PygrubArgv, limits)
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
        var fetcher = new BootFileFetcher(bootDir, ImageCache.Open(settings, cleanup, log), NoProgress.Instance, log);
        // The MD5 is only worth taking when some map could name the ramdisk.
        var published = PublishedChecksums.For(repository, family, request, paths, settings, log);
        var (kernel, ramdisk) = InstallerFiles.Fetch(repository, family, paths, published, limits, fetcher, ramdiskMd5: maps.Count > 0);
        return ramdisk?.Md5 is not { } digest
            ? (kernel.Path, ramdisk?.Path)
            : (kernel.Path, new RamdiskPatcher(settings, maps, bootDir, log).Apply(ramdisk.Path, digest, ramdisk.Url, limits.Ramdisk));
    }
}

using Eliloader.Boot;
using Eliloader.Cache;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Fixups;
using Eliloader.Install;
using Eliloader.Output;
using Eliloader.Pipeline;
using Eliloader.Repositories;
using Eliloader.Verification;
using Eliloader.Xen.XenApi;

namespace Eliloader.Commands;

/// <summary>
/// A dry run of the first boot for an administrator: every step a real boot takes,
/// reported as it goes, up to the first that would fail. It reads the VM (if any)
/// but never writes to it, and downloads nothing into the boot directory or the cache.
/// </summary>
public sealed class Diagnosis(Settings settings, CallerDialect dialect, IDiagnosisReport report, IProgressDisplay progress, RunCleanup cleanup, Action<string> log)
{
    private static readonly string[] InstallKeys =
    [
        OtherConfigKeys.InstallRepository, OtherConfigKeys.InstallDistro, OtherConfigKeys.InstallArch, OtherConfigKeys.DebianRelease,
        OtherConfigKeys.InstallRound, OtherConfigKeys.InstallVnc, OtherConfigKeys.InstallVncPassword, OtherConfigKeys.InstallArgs,
        OtherConfigKeys.InstallKernel, OtherConfigKeys.InstallRamdisk, OtherConfigKeys.InstallProxy,
    ];

    /// <returns>0 when a real first boot would succeed, 1 when it would fail.</returns>
    public int Run(DiagnoseOptions options)
    {
        Line("caller", $"{dialect.Writer.Name} boot format, {dialect.Errors} error dialect ({dialect.Reason})");
        try
        {
            var otherConfig = options.OtherConfig ?? ReadVm(options.VmUuid!);
            Check(otherConfig, options);
            report.Finish(null);
            return 0;
        }
        catch (Exception e) when (e is ApiError or XenApiFailure or IOException)
        {
            report.Finish(ApiError.From(e));
            return 1;
        }
    }

    private IReadOnlyDictionary<string, string> ReadVm(string uuid)
    {
        using var session = LocalXenApi.Open(settings, log);
        var otherConfig = VmApi.ByUuid(session, uuid).GetOtherConfig();
        Line("vm", $"{uuid}: other-config read over XenAPI (nothing is written)");
        return otherConfig;
    }

    private void Check(IReadOnlyDictionary<string, string> otherConfig, DiagnoseOptions options)
    {
        foreach (var key in InstallKeys)
        {
            var shown = key == OtherConfigKeys.InstallVncPassword ? "<set>" : otherConfig.GetValueOrDefault(key);
            Line(key, otherConfig.ContainsKey(key) ? shown! : DefaultOf(key));
        }
        var request = InstallRequest.FromOtherConfig(otherConfig);
        var family = DistroFamilies.Find(request.Distro);
        Line("family", $"{family.Name}, {family.Rounds} round{(family.Rounds == 1 ? "" : "s")}; this is round {request.Round}");
        if (request.Round != 1)
        {
            Line("round", request.Round < 1 || request.Round > family.Rounds
                ? "outside the family's rounds: the boot would fail"
                : $"a real boot would probe the installed disk with {settings.Pygrub}, hand the VM to pygrub and become pygrub");
            family.CheckRound(request.Round);
            return;
        }
        var location = RepositoryLocation.Parse(request.Repository);
        Line("repository", $"{location.Kind.ToString().ToLowerInvariant()} {(location.Kind == RepositoryKind.Cdrom ? options.Image : location.Url)}");
        var limits = LimitsReader.Read(settings, options.VmUuid ?? "", log);
        Line("limits", $"kernel {limits.Kernel} bytes, ramdisk {limits.Ramdisk} bytes");
        if (family is PygrubFamily && location.Kind == RepositoryKind.Cdrom)
        {
            Line("files", $"a real boot would run {settings.Pygrub} on {options.Image} to extract the installer");
            return;
        }

        string kernel;
        string? ramdisk;
        using (var repository = RepositoryFactory.Open(location, request, options.Image, settings, cleanup, log))
        {
            if (repository.Connection is { } connection)
                Line("connection", connection);
            var looked = new Dictionary<string, Lookup>(StringComparer.Ordinal);
            var paths = family.Locate(request, location, repository, (url, lookup) =>
            {
                looked[url] = lookup;
                Line("look", $"{url}: {(lookup.Exists ? "found" : "missing")} ({lookup.Answer})");
            });
            var published = PublishedChecksums.For(repository, family, request, paths, settings, log);
            FileFindings(repository, looked, published, paths.Kernel, limits.Kernel, "kernel");
            if (paths.Ramdisk is not null)
                FileFindings(repository, looked, published, paths.Ramdisk, limits.Ramdisk, "ramdisk");
            kernel = Path.Combine(settings.BootDir, "vmlinuz-XXXXXX");
            ramdisk = paths.Ramdisk is null ? null : Path.Combine(settings.BootDir, "ramdisk-XXXXXX");
            var maps = GuestInstallerMaps.Load(settings.GuestInstallerDir);
            if (options.Fetch)
                Fetch(repository, family, paths, published, limits, maps);
            else
                Line("fixups", maps.Count == 0
                    ? $"no guest-installer maps in {settings.GuestInstallerDir}: the ramdisk is handed out as it is"
                    : $"{maps.Count} guest-installer map lines: the ramdisk's MD5, taken while it downloads, decides");
        }
        var args = KernelArgs.Build("", family.ExtraArgs(request, location), request);
        var line = dialect.Writer.Write(new BootConfig(kernel, ramdisk, args));
        foreach (var printed in line.TrimEnd('\n').Split('\n'))
            Line("boot line", printed);
        if (location.Kind == RepositoryKind.Cdrom)
            Line("vm change", "every VBD bootable exactly when its userdevice is 0");
        if (family.Rounds == 1)
            Line("vm change", "PV-bootloader = pygrub; platform:pv-postinstall-*-max-size moved to pv-*-max-size");
        Line("vm change", request.Round < family.Rounds
            ? $"other-config:{OtherConfigKeys.InstallRound} = {request.Round + 1}"
            : $"other-config:{OtherConfigKeys.InstallRound} and {OtherConfigKeys.InstallDistro} removed");
    }

    /// <summary>
    /// A located file's size against the limit (from the existence check's answer, a HEAD
    /// or an FTP SIZE, else by opening it without reading), its published checksum and
    /// what the cache holds for it.
    /// </summary>
    private void FileFindings(IRepository repository, Dictionary<string, Lookup> looked, PublishedChecksums published, string path, long limit, string what)
    {
        var url = repository.Describe(path);
        var length = looked.GetValueOrDefault(url)?.Length;
        if (length is null)
        {
            using var file = repository.Open(path);
            length = file.Length;
        }
        Line(what, $"{url}: {(length is { } bytes ? $"{bytes} bytes" : "size not announced")}, limit {limit}");
        if (length > limit)
            throw Limits.Exceeded(url, limit);
        var sum = published.For(path);
        Line("checksum", sum is not null ? $"{url}: {sum.Digest} published in {sum.ListUrl}" : $"{url}: no checksum published");
        SignatureFindings(url, sum?.Authentication);
        Line("cache", settings.CacheDir is null
            ? "off (cache-dir is empty): a boot downloads the file"
            : ImageCache.Peek(settings, url) is { } kept
                ? $"{url}: kept since {kept.Fetched.UtcDateTime:yyyy-MM-dd HH:mm}Z ({kept.Length} bytes); a boot revalidates it and copies it if it is current"
                : $"{url}: not kept; a boot downloads it and keeps it in {settings.CacheDir}");
    }

    /// <summary>The signature chain that vouches for a file's checksum: each signature's key, user ID, keyring file and verdict.</summary>
    private void SignatureFindings(string url, Authentication? how)
    {
        if (how is not { Verified: true })
        {
            Line("signature", $"{url}: not authenticated ({how?.Chain ?? "no checksum list names it"}); " + (settings.Signatures == SignaturesSetting.Off
                ? "signatures = off"
                : "signatures = verify: a boot installs it with a warning in syslog"));
            return;
        }
        foreach (var check in how.Signatures ?? [])
            Line("signature", $"{how.SignedFile}: {check.Signer}{(check.Fingerprint is { } f ? $", fingerprint {f}" : "")}"
                + $"{(check.Keyring is { } k ? $", keyring {k}" : "")}, made {check.Created:yyyy-MM-dd HH:mm}Z with {check.Hash}: {(check.Counts ? "valid" : "not counted")}, {check.Reason}");
        Line("chain", $"{how.Chain}; the checksum list vouches for {url}");
    }

    /// <summary>--fetch: both files downloaded into a scratch directory (removed with the run's cleanup), checked, and the ramdisk's MD5 looked up in the maps.</summary>
    private void Fetch(IRepository repository, DistroFamily family, BootFilePaths paths, PublishedChecksums published, Limits limits, GuestInstallerMaps maps)
    {
        var scratch = new BootDirectory(ScratchDirectory.Create(settings.TempDir, cleanup), cleanup, log);
        var fetcher = new BootFileFetcher(scratch, cache: null, progress, log);
        var (kernel, ramdisk) = InstallerFiles.Fetch(repository, family, paths, published, limits, fetcher, ramdiskMd5: true);
        foreach (var file in new[] { kernel, ramdisk }.OfType<FetchedFile>())
            Line("fetched", $"{file.Url}: {file.Length} bytes" + (file.Verified is { } sum
                ? $", matches the {sum.Digest.Algorithm} published in {sum.ListUrl}"
                : ", no published checksum to check"));
        if (ramdisk?.Md5 is { } md5)
            Line("fixups", maps.For(md5) is { } fixup
                ? $"ramdisk MD5 {md5} is named by a guest-installer map: {fixup.Distro}, overlay {fixup.Overlay} ({fixup.Kind.ToString().ToLowerInvariant()})"
                : $"ramdisk MD5 {md5} is named by no guest-installer map: it is handed out as it is");
    }

    private static string DefaultOf(string key) => key switch
    {
        OtherConfigKeys.InstallDistro => $"{InstallRequest.DefaultDistro} (default)",
        OtherConfigKeys.InstallArch => $"{InstallRequest.DefaultArch} (default)",
        OtherConfigKeys.InstallRound => "1 (default)",
        OtherConfigKeys.InstallVnc => "false (default)",
        _ => "(not set)",
    };

    private void Line(string what, string text) => report.Finding(what, text);
}

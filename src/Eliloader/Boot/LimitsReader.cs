using Eliloader.Install;
using Eliloader.Xen.Xenstore;

namespace Eliloader.Boot;

/// <summary>
/// The limits in force for a VM (docs/protocol.md section 7): the defaults, then the host's
/// in /mh/limits, then the VM's own platform keys. A missing or unreadable value
/// keeps the one before it.
/// </summary>
public static class LimitsReader
{
    private const string KernelKey = "pv-kernel-max-size";
    private const string RamdiskKey = "pv-ramdisk-max-size";

    /// <summary>The limits through the configured xenstore socket.</summary>
    public static Limits Read(Configuration.Settings settings, string vmUuid, Action<string> log) =>
        Read(() => new XenstoreClient(settings.XenstoreSocket, TimeSpan.FromSeconds(settings.DownloadTimeout)), vmUuid, log);

    public static Limits Read(Func<XenstoreClient> connect, string vmUuid, Action<string> log)
    {
        var limits = Limits.Default;
        try
        {
            using var xenstore = connect();
            limits = Override(limits, xenstore, "/mh/limits", log);
            var domid = xenstore.List($"/vm/{vmUuid}/domains")?.FirstOrDefault();
            if (domid is not null)
                limits = Override(limits, xenstore, $"/local/domain/{domid}/platform", log);
            else
                log($"xenstore has no domain for VM {vmUuid}; its own limits are not read");
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            log($"xenstore unavailable ({e.Message}); limits stay at kernel {limits.Kernel}, ramdisk {limits.Ramdisk}");
        }
        log($"limits in force: kernel {limits.Kernel} bytes, ramdisk {limits.Ramdisk} bytes");
        return limits;
    }

    private static Limits Override(Limits limits, XenstoreClient xenstore, string directory, Action<string> log) =>
        limits with
        {
            Kernel = Value(xenstore, $"{directory}/{KernelKey}", log) ?? limits.Kernel,
            Ramdisk = Value(xenstore, $"{directory}/{RamdiskKey}", log) ?? limits.Ramdisk,
        };

    private static long? Value(XenstoreClient xenstore, string path, Action<string> log)
    {
        var text = xenstore.ReadValue(path);
        if (text is null)
            return null;
        // As the Python loader's int(): " 100" and "+4000" are sizes, and so is -1, which no file fits.
        if (PythonInt.TryParse(text, out var value))
            return value;
        log($"xenstore {path} = '{text}' is not a size; ignored");
        return null;
    }
}

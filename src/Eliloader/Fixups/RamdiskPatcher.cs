using System.IO.Compression;
using Eliloader.Boot;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Formats;
using Eliloader.Formats.Cpio;

namespace Eliloader.Fixups;

/// <summary>
/// Patches a downloaded installer ramdisk when a guest-installer map names its MD5
/// (docs/protocol.md section 8): the overlay goes over it in process, streaming, and the
/// patched ramdisk (tweaked-initrd-XXXXXX) is handed out instead. Nothing is
/// decompressed unless the MD5 matches.
/// </summary>
public sealed class RamdiskPatcher(Settings settings, GuestInstallerMaps maps, BootDirectory bootDir, Action<string> log)
{
    private static readonly CpioLimits Limits = new();

    /// <summary>
    /// An ext2 ramdisk (RHEL 4) is a compressed file system image: it is unpacked into
    /// a scratch file beside the boot files (within the limit), read in process, and a
    /// new image with its geometry, the vendor files and the overlay, is written.
    /// </summary>
    private void RewriteExt2(Stream vendor, string overlay, Stream output, long limit)
    {
        var (scratch, image) = bootDir.Create("unpacked-initrd");
        try
        {
            using (image)
            {
                var compressed = new PeekableStream(vendor);
                var compression = Formats.Compression.RamdiskDecompression.Detect(compressed.Peek(6));
                using (var unpacked = new BoundedReadStream(Formats.Compression.RamdiskDecompression.Open(compression, compressed), limit))
                    unpacked.CopyTo(image);
                // Padding may follow the image's compressed data; anything else is not the image.
                compressed.SkipZeros();
                if (Formats.Compression.RamdiskDecompression.EndsExactly(compression) && !compressed.Peek(1).IsEmpty)
                    throw new InvalidDataException($"data follows the compressed ext2 image at byte {compressed.Position}");
                Formats.Ext2.Ext2Overlay.Rewrite(image, () => File.OpenRead(overlay), output, Limits, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            }
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    /// <returns>The ramdisk to hand out: the patched one, or the download itself when no map names it.</returns>
    public string Apply(string ramdisk, string md5, string url, long limit)
    {
        var fixup = maps.For(md5);
        if (fixup is null)
        {
            log($"ramdisk MD5 {md5}: no guest-installer fixup");
            return ramdisk;
        }
        var overlay = Path.Combine(settings.GuestInstallerDir, fixup.Overlay);
        if (!File.Exists(overlay))
            throw new ApiError(ApiError.SupportPackageMissing, $"Dom0 does not contain a required file: {overlay}");
        log($"ramdisk MD5 {md5} is {fixup.Distro}: applying {overlay} ({settings.InitrdFixup}, compression {settings.PatchedInitrdCompression})");

        var (patched, file) = bootDir.Create("tweaked-initrd");
        try
        {
            using (file)
            // An ext2 image is handed out uncompressed, as the Python loader did; it is written in place.
            using (var output = fixup.Kind == FixupKind.Cpio && settings.PatchedInitrdCompression == PatchedInitrdCompressionSetting.Gzip
                       ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true)
                       : (Stream)file)
            using (var vendor = File.OpenRead(ramdisk))
            {
                if (fixup.Kind == FixupKind.Ext2)
                    RewriteExt2(vendor, overlay, output, limit);
                else if (settings.InitrdFixup == InitrdFixupSetting.Append)
                {
                    using var overlayStream = File.OpenRead(overlay);
                    InitramfsOverlay.Append(vendor, overlayStream, output);
                }
                else
                {
                    InitramfsOverlay.Rewrite(vendor, () => File.OpenRead(overlay), output, limit, Limits);
                }
            }
        }
        catch (LimitExceededException)
        {
            throw Boot.Limits.Exceeded(url, limit);
        }
        catch (InvalidDataException e)
        {
            throw new ApiError(ApiError.InvalidSource, $"The ramdisk {url} cannot be patched: {e.Message}.");
        }
        File.Delete(ramdisk);
        log($"patched ramdisk {patched} ({new FileInfo(patched).Length} bytes) replaces {ramdisk}");
        return patched;
    }
}

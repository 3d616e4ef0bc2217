using System.Security.Cryptography;
using System.Text;
using Eliloader.TestSupport;

namespace Eliloader.Tests.Support;

/// <summary>How a generated Debian release signs its Release file.</summary>
public enum ReleaseSigning
{
    InRelease,
    DetachedReleaseGpg,
    Unsigned,
}

/// <summary>
/// Install trees made and signed at test time, laid out as the real ones: a Debian
/// release (installer images, SHA256SUMS and MD5SUMS, a Release file listing both,
/// signed as InRelease or Release + Release.gpg), a Debian CD (install.amd/, the root's
/// sha256sum.txt and md5sum.txt, dists/&lt;codename&gt;/Release + Release.gpg listing them),
/// and a SUSE medium (content with HASH lines, content.asc, content.key).
/// </summary>
public static class SignedTrees
{
    public const string Release = "trixie";
    public const string ReleaseDir = $"dists/{Release}/";
    public const string Images = ReleaseDir + "main/installer-amd64/current/images/";
    public const string Kernel = Images + "netboot/xen/vmlinuz";
    public const string Ramdisk = Images + "netboot/xen/initrd.gz";

    /// <summary>Stand-in installer files, different in every tree.</summary>
    public static void WriteBootFiles(string root, string kernel, string ramdisk)
    {
        foreach (var (path, size) in new[] { (kernel, 4096), (ramdisk, 8192) })
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, RandomNumberGenerator.GetBytes(size));
        }
    }

    public static void DebianRelease(string root, TestSigningKeys keys, string signer, ReleaseSigning signing)
    {
        WriteBootFiles(root, Kernel, Ramdisk);
        var images = Path.Combine(root, Images);
        File.WriteAllText(Path.Combine(images, "SHA256SUMS"), Sums(images, SHA256.HashData, "./netboot/xen/vmlinuz", "./netboot/xen/initrd.gz"));
        File.WriteAllText(Path.Combine(images, "MD5SUMS"), Sums(images, MD5.HashData, "./netboot/xen/vmlinuz", "./netboot/xen/initrd.gz"));
        WriteRelease(root, ReleaseDir, keys, signer, signing,
            "main/installer-amd64/current/images/SHA256SUMS", "main/installer-amd64/current/images/MD5SUMS");
    }

    /// <summary>A Debian CD's tree: the netboot files where a CD keeps them, the root's checksum lists, and its signed Release listing them.</summary>
    public static void DebianCd(string root, TestSigningKeys keys, string signer)
    {
        WriteBootFiles(root, "install.amd/xen/vmlinuz", "install.amd/xen/initrd.gz");
        File.WriteAllText(Path.Combine(root, "sha256sum.txt"), Sums(root, SHA256.HashData, "./install.amd/xen/vmlinuz", "./install.amd/xen/initrd.gz"));
        File.WriteAllText(Path.Combine(root, "md5sum.txt"), Sums(root, MD5.HashData, "./install.amd/xen/vmlinuz", "./install.amd/xen/initrd.gz"));
        WriteRelease(root, ReleaseDir, keys, signer, ReleaseSigning.DetachedReleaseGpg, "../../sha256sum.txt", "../../md5sum.txt");
    }

    /// <summary>A SLES 11 medium for x86_64: boot files, content with their HASH lines, signed by content.asc; content.key holds the signer's key, as media do.</summary>
    public static void SuseMedium(string root, TestSigningKeys keys, string signer)
    {
        WriteBootFiles(root, "boot/x86_64/vmlinuz-xen", "boot/x86_64/initrd-xen");
        var content = new StringBuilder("PRODUCT SUSE_SLES\nVERSION 11.4\n");
        foreach (var path in new[] { "boot/x86_64/vmlinuz-xen", "boot/x86_64/initrd-xen" })
            content.Append($"HASH SHA256 {Hex(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, path))))}  {path}\n");
        File.WriteAllText(Path.Combine(root, "content"), content.ToString());
        File.WriteAllText(Path.Combine(root, "content.asc"), keys.DetachSign(signer, Encoding.UTF8.GetBytes(content.ToString())));
        File.WriteAllText(Path.Combine(root, "content.key"), keys.ArmoredPublicKeys(signer));
    }

    /// <summary>Writes a Release file listing the given files (relative to its directory) and signs it.</summary>
    public static void WriteRelease(string root, string directory, TestSigningKeys keys, string signer, ReleaseSigning signing, params string[] listed)
    {
        var dir = Path.Combine(root, directory);
        Directory.CreateDirectory(dir);
        var text = new StringBuilder($"Origin: Test\nLabel: Test\nCodename: {Release}\nDate: Sat, 11 Jul 2026 10:16:37 UTC\nValid-Until: Sat, 18 Jul 2020 10:16:37 UTC\n");
        foreach (var (field, hash) in new (string, Func<byte[], byte[]>)[] { ("MD5Sum", MD5.HashData), ("SHA256", SHA256.HashData) })
        {
            text.Append(field + ":\n");
            foreach (var file in listed)
            {
                var bytes = File.ReadAllBytes(Path.GetFullPath(Path.Combine(dir, file)));
                text.Append($" {Hex(hash(bytes))} {bytes.Length,8} {file}\n");
            }
        }
        var release = text.ToString();
        File.WriteAllText(Path.Combine(dir, "Release"), release);
        if (signing == ReleaseSigning.InRelease)
            File.WriteAllText(Path.Combine(dir, "InRelease"), keys.ClearSign(signer, release));
        if (signing == ReleaseSigning.DetachedReleaseGpg)
            File.WriteAllText(Path.Combine(dir, "Release.gpg"), keys.DetachSign(signer, Encoding.UTF8.GetBytes(release)));
    }

    /// <summary>A keyring-dir holding the given keys as one binary file.</summary>
    public static string KeyringDir(string parent, TestSigningKeys keys, params string[] names)
    {
        var directory = Path.Combine(parent, "keyrings");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "trusted.gpg"), keys.PublicKeys(names));
        return directory;
    }

    /// <summary>Flips one bit of a file in place.</summary>
    public static void FlipByte(string path, int at)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[at] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    private static string Sums(string directory, Func<byte[], byte[]> hash, params string[] names) =>
        string.Concat(names.Select(name => $"{Hex(hash(File.ReadAllBytes(Path.Combine(directory, name))))}  {name}\n"));

    private static string Hex(byte[] digest) => Convert.ToHexStringLower(digest);
}

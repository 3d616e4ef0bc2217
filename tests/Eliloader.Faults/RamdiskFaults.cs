using System.Security.Cryptography;
using Eliloader.Faults.Harness;
using Eliloader.Faults.Inputs;

namespace Eliloader.Faults;

/// <summary>
/// Installer ramdisks a guest-installer map names, so that eliloader unpacks them:
/// decompression bombs in every compression, and malformed cpio, gzip, xz, bzip2, zstd
/// and LZMA data. The mirror is nginx; the ramdisk limit is 4 MiB.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class RamdiskFaults(FaultSuite suite) : FaultCategory(suite)
{
    public const long Limit = 4 << 20;
    private const string TooBig = "File '{repo}initrd' exceeds limit of 4194304 bytes";
    private const string Unpatchable = "The ramdisk {repo}initrd cannot be patched: ";

    /// <summary>A mirror holding a kernel and this ramdisk, and a map that names the ramdisk's MD5 with an overlay.</summary>
    internal static void Serve(FaultHost host, Action<string> writeRamdisk, string kind = "cpio")
    {
        var (tree, url) = host.Suite.Nginx.ScratchTree();
        File.WriteAllText(Path.Combine(tree, "vmlinuz"), "stand-in kernel");
        var ramdisk = Path.Combine(tree, "initrd");
        writeRamdisk(ramdisk);
        File.WriteAllBytes(Path.Combine(host.GuestInstallerDir, "overlay.cpio"), NewcMember.Archive(NewcMember.File("etc/overlay", "patched\n")));
        using (var stream = File.OpenRead(ramdisk))
            File.WriteAllText(Path.Combine(host.GuestInstallerDir, "hostile.map"), $"{Convert.ToHexStringLower(MD5.HashData(stream))} {kind} overlay.cpio Hostile ramdisk\n");
        host.Scenario.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = Limit.ToString();
        host.NetworkVm(url);
    }

    private static FaultCase Served(string name, Expected expected, Action<string> writeRamdisk, Action<FaultHost>? tune = null) =>
        new(name, expected, host =>
        {
            Serve(host, writeRamdisk);
            tune?.Invoke(host);
            host.Boot();
        });

    private static FaultCase Archive(string name, Expected expected, params NewcMember[] members) =>
        Served(name, expected, Tools.Bytes(() => Tools.Gzip(NewcMember.Archive(members))));

    /// <summary>The default 128 MiB ramdisk limit, for archives whose headers alone pass 4 MiB.</summary>
    private static void Roomy(FaultHost host) => host.Scenario.State.Xenstore.Remove("/mh/limits/pv-ramdisk-max-size");

    private static readonly NewcMember Init = NewcMember.File("init", "#!/bin/sh\n");

    /// <summary>A 64 MiB expansion, well past the 4 MiB limit, in a few kilobytes.</summary>
    private const string Zeros = "head -c 64M /dev/zero";

    /// <summary>A cpio whose one member holds 64 MiB of zeros.</summary>
    private static Action<string> ZeroMember(string compressor) => path =>
    {
        File.WriteAllBytes(path + ".head", new NewcMember("zeros", []) { StatedSize = 64 << 20 }.Bytes());
        File.WriteAllBytes(path + ".tail", NewcMember.Trailer.Bytes());
        Tools.Script($"{{ cat \"$OUT.head\"; {Zeros}; cat \"$OUT.tail\"; }} | {compressor} > \"$OUT\"; rm \"$OUT.head\" \"$OUT.tail\"")(path);
    };

    private static readonly FaultCase GzipOfZeros =
        Served("gzip of 64 MiB of zeros", Expected.Error("LIMITS", TooBig).WithinCpu(3), Tools.Script($"{Zeros} | gzip -1 > \"$OUT\""));

    private static readonly FaultCase[] Cases =
    [
        GzipOfZeros,
        GzipOfZeros.InCodeLines(),
        Served("xz of 64 MiB of zeros", Expected.Error("LIMITS", TooBig).WithinCpu(3), Tools.Script($"{Zeros} | xz -1 > \"$OUT\"")),
        Served("bzip2 of 64 MiB of zeros", Expected.Error("LIMITS", TooBig).WithinCpu(3), Tools.Script($"{Zeros} | bzip2 -1 > \"$OUT\"")),
        Served("zstd of 64 MiB of zeros", Expected.Error("LIMITS", TooBig).WithinCpu(3), Tools.Script($"{Zeros} | zstd -q -1 > \"$OUT\"")),
        Served("lzma of 64 MiB of zeros", Expected.Error("LIMITS", TooBig).WithinCpu(3), Tools.Script($"{Zeros} | xz --format=lzma -1 > \"$OUT\"")),
        Served("gzip cpio holding a 64 MiB member", Expected.Error("LIMITS", TooBig).WithinCpu(3), ZeroMember("gzip -1")),
        Served("xz cpio holding a 64 MiB member", Expected.Error("LIMITS", TooBig).WithinCpu(3), ZeroMember("xz -1")),
        Served("zstd cpio holding a 64 MiB member", Expected.Error("LIMITS", TooBig).WithinCpu(3), ZeroMember("zstd -q -1")),
        Served("a thousand gzip members, 64 KiB each", Expected.Error("LIMITS", TooBig).WithinCpu(3),
            Tools.Bytes(() => NewcMember.Concat(Enumerable.Repeat(Tools.Gzip(NewcMember.Archive(new NewcMember("pad", new byte[64 << 10]))), 1000)))),
        Served("gzip inside gzip", Expected.Error("INVALID_SOURCE", Unpatchable + "…neither cpio nor a known compression"),
            Tools.Script($"{Zeros} | gzip -1 | gzip -1 > \"$OUT\"")),
        Archive("member climbing out with ..", Expected.Error("INVALID_SOURCE", Unpatchable + "…cpio member '../../etc/passwd' has a '..' path component"),
            Init, NewcMember.File("../../etc/passwd", "root::0:0::/:/bin/sh\n")),
        Archive("member with an absolute name", Expected.Error("INVALID_SOURCE", Unpatchable + "…cpio member '/etc/shadow' has an absolute name"),
            Init, NewcMember.File("/etc/shadow", "root::::::::\n")),
        Archive("member with an empty component", Expected.Error("INVALID_SOURCE", Unpatchable + "…cpio member 'etc//passwd' has an empty path component"),
            Init, NewcMember.File("etc//passwd", "x")),
        Archive("member with a . component", Expected.Error("INVALID_SOURCE", Unpatchable + "…cpio member 'etc/./init' has a '.' path component"),
            Init, NewcMember.File("etc/./init", "x")),
        Archive("name size of 4 GiB", Expected.Error("INVALID_SOURCE", Unpatchable),
            Init, NewcMember.File("big", "x") with { StatedNameSize = 0xFFFFFFFF }),
        Archive("name of 8000 bytes", Expected.Error("INVALID_SOURCE", Unpatchable),
            Init, NewcMember.File(new string('n', 8000), "x")),
        Archive("file size of 4 GiB with 1 byte", Expected.Error("INVALID_SOURCE", Unpatchable + "…ends inside the data of 'big'"),
            Init, NewcMember.File("big", "x") with { StatedSize = 0xFFFFFFFF }),
        Archive("header field not hexadecimal", Expected.Error("INVALID_SOURCE", Unpatchable + "…is not hexadecimal"),
            Init, NewcMember.File("odd", "x") with { RawField = (6, "0000000G") }),
        Archive("header field negative", Expected.Error("INVALID_SOURCE", Unpatchable + "…is not hexadecimal"),
            Init, NewcMember.File("odd", "x") with { RawField = (6, "-0000001") }),
        Served("archive cut inside a header", Expected.Error("INVALID_SOURCE", Unpatchable),
            Tools.Bytes(() => Tools.Gzip(NewcMember.Archive(Init, NewcMember.File("etc/motd", "hello"))[..150]))),
        Served("archive cut inside a member's data", Expected.Error("INVALID_SOURCE", Unpatchable),
            Tools.Bytes(() => Tools.Gzip(NewcMember.Archive(Init, new NewcMember("data", new byte[10_000]))[..5_000]))),
        Served("archive without a trailer", Expected.Error("INVALID_SOURCE", Unpatchable),
            Tools.Bytes(() => Tools.Gzip(NewcMember.Concat([Init.Bytes(), NewcMember.File("etc/motd", "hello").Bytes()])))),
        Archive("crc member with a wrong checksum", Expected.Error("INVALID_SOURCE", Unpatchable + "…checksum"),
            Init, NewcMember.File("etc/motd", "hello") with { Magic = "070702", Checksum = 12345 }),
        Archive("unknown cpio magic", Expected.Error("INVALID_SOURCE", Unpatchable),
            Init, NewcMember.File("etc/motd", "hello") with { Magic = "070799" }),
        Served("200,001 members", Expected.Error("INVALID_SOURCE", Unpatchable).Within(60).WithinCpu(5),
            Tools.Bytes(() => Tools.Gzip(NewcMember.Archive(Enumerable.Range(0, 200_001).Select(i => new NewcMember($"f{i}", []) { Inode = (uint)i + 1 }).ToArray()))),
            Roomy),
        Served("gzip with a wrong CRC", Expected.Error("INVALID_SOURCE", Unpatchable + "…gzip"),
            Tools.Bytes(() => Corrupt(Tools.Gzip(NewcMember.Archive(Init)), fromEnd: 8))),
        Served("gzip cut short", Expected.Error("INVALID_SOURCE", Unpatchable + "…gzip"),
            Tools.Bytes(() => Tools.Gzip(NewcMember.Archive(Init, new NewcMember("data", RandomBytes(20_000))))[..5_000])),
        Served("gzip with reserved flags", Expected.Error("INVALID_SOURCE", Unpatchable + "…gzip"),
            Tools.Bytes(() => SetByte(Tools.Gzip(NewcMember.Archive(Init)), 3, 0xE0))),
        Served("gzip with an unknown method", Expected.Error("INVALID_SOURCE", Unpatchable + "…gzip"),
            Tools.Bytes(() => SetByte(Tools.Gzip(NewcMember.Archive(Init)), 2, 7))),
        Served("gzip with damaged deflate data", Expected.Error("INVALID_SOURCE", Unpatchable + "…gzip"),
            Tools.Bytes(() => Corrupt(Tools.Gzip(NewcMember.Archive(Init, new NewcMember("data", RandomBytes(20_000)))), fromEnd: 10_000))),
        Served("xz cut short", Expected.Error("INVALID_SOURCE", Unpatchable + "…xz"),
            Tools.Bytes(() => Tools.Pipe(NewcMember.Archive(Init, new NewcMember("data", RandomBytes(20_000))), "xz -1")[..5_000])),
        Served("xz with damaged data", Expected.Error("INVALID_SOURCE", Unpatchable + "…xz"),
            Tools.Bytes(() => Corrupt(Tools.Pipe(NewcMember.Archive(Init, new NewcMember("data", RandomBytes(20_000))), "xz -1"), fromEnd: 10_000))),
        Served("bzip2 with damaged data", Expected.Error("INVALID_SOURCE", Unpatchable + "the bzip2 data is damaged"),
            Tools.Bytes(() => Corrupt(Tools.Pipe(NewcMember.Archive(Init, new NewcMember("data", RandomBytes(20_000))), "bzip2"), fromEnd: 10_000))),
        Served("bzip2 cut short", Expected.Error("INVALID_SOURCE", Unpatchable + "the bzip2 data is damaged"),
            Tools.Bytes(() => Tools.Pipe(NewcMember.Archive(Init, new NewcMember("data", RandomBytes(20_000))), "bzip2")[..5_000])),
        Served("zstd with damaged data", Expected.Error("INVALID_SOURCE", Unpatchable + "…zstd"),
            Tools.Bytes(() => Corrupt(Tools.Pipe(NewcMember.Archive(Init, new NewcMember("data", RandomBytes(20_000))), "zstd -q"), fromEnd: 10_000))),
        Served("lzma with damaged data", Expected.Error("INVALID_SOURCE", Unpatchable),
            Tools.Bytes(() => Corrupt(Tools.Pipe(NewcMember.Archive(Init, new NewcMember("data", RandomBytes(20_000))), "xz --format=lzma"), fromEnd: 10_000))),
        Served("garbage after the gzip segment", Expected.Error("INVALID_SOURCE", Unpatchable + "…neither cpio nor a known compression"),
            Tools.Bytes(() => [.. Tools.Gzip(NewcMember.Archive(Init)), .. "GARBAGE!"u8])),
        Served("microcode archive, then garbage", Expected.Error("INVALID_SOURCE", Unpatchable + "…neither cpio nor a known compression"),
            Tools.Bytes(() => [.. NewcMember.Archive(NewcMember.File("kernel/x86/microcode/GenuineIntel.bin", "ucode")), .. "GARBAGE!"u8])),
        Served("hard-link flood", Expected.Boots().WithinCpu(5),
            Tools.Bytes(() => Tools.Gzip(NewcMember.Archive(Enumerable.Range(0, 50_000)
                .Select(i => new NewcMember($"l{i}", i == 49_999 ? new byte[1000] : []) { Inode = 42, Links = 50_000 }).Prepend(Init).ToArray()))),
            Roomy),
        Served("gzip bomb, patched ramdisk gzipped", Expected.Error("LIMITS", TooBig).WithinCpu(3), ZeroMember("gzip -1"),
            host => host.Config["patched-initrd-compression"] = "gzip"),
    ];

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static byte[] SetByte(byte[] data, int index, byte value)
    {
        var copy = data.ToArray();
        copy[index] = value;
        return copy;
    }

    /// <summary>Flips the bits of 16 bytes starting this far from the end.</summary>
    private static byte[] Corrupt(byte[] data, int fromEnd)
    {
        var copy = data.ToArray();
        var start = Math.Max(0, copy.Length - fromEnd);
        for (var i = start; i < Math.Min(copy.Length, start + 16); i++)
            copy[i] ^= 0xFF;
        return copy;
    }
}

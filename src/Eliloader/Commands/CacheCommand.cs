using System.Globalization;
using Eliloader.Boot;
using Eliloader.Cache;
using Eliloader.CommandLine;
using Eliloader.Configuration;
using Eliloader.Verification;

namespace Eliloader.Commands;

/// <summary>What `eliloader cache` was asked: list, verify or prune, and prune's bound.</summary>
public sealed record CacheOptions(string Action, long? MaxSize, bool Help);

/// <summary>
/// `eliloader cache list | verify | prune`: what the image cache holds, whether every
/// file still has the digest it is kept under, and removing the least recently used
/// files down to a size.
/// </summary>
public sealed class CacheCommand(ImageCache cache, TextWriter output, Action<string> log)
{
    public const string Usage = """
        Usage: eliloader cache list
               eliloader cache verify
               eliloader cache prune [--max-size <bytes>[K|M|G|T]] [--all]

        list: every cached URL with its size, SHA-256, when it was fetched and last used.
        verify: reads every cached file again and removes those whose SHA-256 is not the
        one they are kept under (exit status 1 if there were any).
        prune: removes the least recently used files until the cache holds at most
        --max-size (default: cache-max-size from the configuration); --all empties it.
        Files a running eliloader is using are left alone.
        """;

    public static CacheOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
            throw new UsageException("cache needs list, verify or prune");
        if (args[0] is "--help" or "-h")
            return new CacheOptions("", null, Help: true);
        if (args[0] is not ("list" or "verify" or "prune"))
            throw new UsageException($"cache does not know '{args[0]}'");
        long? maxSize = null;
        var options = new OptionReader(args.Skip(1).ToList(), "cache " + args[0]);
        while (options.Next())
        {
            switch (options.Current)
            {
                case "--help" or "-h":
                    return new CacheOptions(args[0], null, Help: true);
                case "--max-size" when args[0] == "prune":
                    maxSize = SizeOption(options.Value());
                    break;
                case "--all" when args[0] == "prune":
                    maxSize = 0;
                    break;
                default:
                    throw options.Unknown();
            }
        }
        return new CacheOptions(args[0], maxSize, Help: false);
    }

    /// <returns>The exit status.</returns>
    public int Run(CacheOptions options)
    {
        switch (options.Action)
        {
            case "list":
                List();
                return 0;
            case "verify":
                return Verify() ? 0 : 1;
            default:
                var removed = CachePruner.Prune(cache, options.MaxSize ?? cache.MaxSize, log);
                foreach (var entry in removed)
                    output.WriteLine($"removed {entry.Url} ({entry.Length} bytes)");
                output.WriteLine($"{removed.Count} removed; {Total()} bytes kept in {cache.Directory}");
                return 0;
        }
    }

    private void List()
    {
        var entries = cache.Entries();
        foreach (var (_, entry, used) in entries.OrderBy(e => e.Entry.Url, StringComparer.Ordinal))
        {
            var validators = entry.Validators is { } v ? ", validators " + string.Join(" / ", new[] { v.ETag, v.LastModified }.OfType<string>()) : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{entry.Url}\n  {entry.Length} bytes, sha256 {entry.Sha256}\n  fetched {entry.Fetched.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, last used {used:yyyy-MM-dd HH:mm:ss}Z{validators}"));
        }
        output.WriteLine($"{entries.Count} files, {Total()} bytes in {cache.Directory} (cache-max-size {cache.MaxSize})");
    }

    private bool Verify()
    {
        var damaged = 0;
        foreach (var (key, entry, _) in cache.Entries())
        {
            using var held = CacheLock.TryAcquire(cache.LockPath(key));
            if (held is null)
            {
                output.WriteLine($"in use, not checked: {entry.Url}");
                continue;
            }
            var actual = Sha256Of(cache.ObjectPath(entry.Sha256));
            if (actual == entry.Sha256)
            {
                output.WriteLine($"ok: {entry.Url}");
                continue;
            }
            damaged++;
            output.WriteLine($"damaged, removed: {entry.Url} (sha256 {actual ?? "unreadable"}, kept under {entry.Sha256})");
            cache.Remove(key, entry);
        }
        return damaged == 0;
    }

    private static string? Sha256Of(string path)
    {
        try
        {
            using var file = new Repositories.RemoteFile(path, null, File.OpenRead(path));
            return Transfer.Copy(file, [Stream.Null], long.MaxValue, [Digest.Sha256], NoProgress.Instance).Digests[Digest.Sha256];
        }
        catch (IOException)
        {
            return null;
        }
    }

    private long Total() => ImageCache.TotalSize(cache.Entries());

    private static long SizeOption(string value)
    {
        try
        {
            return SettingsFile.ByteCount(value);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

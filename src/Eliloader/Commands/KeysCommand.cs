using Eliloader.CommandLine;
using Eliloader.Formats.OpenPgp;
using Eliloader.Verification;

namespace Eliloader.Commands;

/// <summary>What `eliloader keys` was asked.</summary>
public sealed record KeysOptions(bool Help);

/// <summary>
/// `eliloader keys list`: the OpenPGP keys in keyring-dir that signed install trees are
/// checked against, each with its file, fingerprint, user IDs, expiry and signing
/// subkeys, and the files that could not be read, so an administrator can compare
/// fingerprints with the ones the distributions publish.
/// </summary>
public sealed class KeysCommand(string keyringDir, TextWriter output, Action<string> log)
{
    public const string Usage = """
        Usage: eliloader keys list

        Lists the OpenPGP public keys in keyring-dir (*.gpg binary and *.asc armored
        files) that the signatures of install trees (Debian InRelease / Release.gpg, SUSE
        content.asc) are checked against: for each key its file, fingerprint, user IDs,
        creation and expiry, whether it is revoked, and its signing subkeys. Compare the
        fingerprints with the ones the distribution publishes before trusting a key.
        Exit status: 0, or 1 when a keyring file cannot be read.
        """;

    public static KeysOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
            throw new UsageException("keys needs list");
        if (args[0] is "--help" or "-h")
            return new KeysOptions(Help: true);
        if (args[0] != "list")
            throw new UsageException($"keys does not know '{args[0]}'");
        var options = new OptionReader(args.Skip(1).ToList(), "keys list");
        while (options.Next())
        {
            if (options.Current is "--help" or "-h")
                return new KeysOptions(Help: true);
            throw options.Unknown();
        }
        return new KeysOptions(Help: false);
    }

    public int Run()
    {
        var keys = TrustedKeys.Load(keyringDir, log);
        var described = keys.Keyring.Describe();
        if (keys.Files.Count == 0)
            output.WriteLine($"no keyring files (*.gpg, *.asc) in {keyringDir}");
        foreach (var (file, problem) in keys.Files)
        {
            output.WriteLine(problem is null ? $"{file}:" : $"{file}: cannot be read: {problem}");
            foreach (var key in described.Where(k => k.Source == file))
                Write(key);
        }
        return keys.Files.Any(f => f.Problem is not null) ? 1 : 0;
    }

    private void Write(KeyDescription key)
    {
        output.WriteLine($"  pub   {key.Algorithm} {Day(key.Created)} {Validity(key.Expires, key.Revoked)}");
        output.WriteLine($"        {Grouped(key.Fingerprint)}");
        foreach (var userId in key.UserIds)
            output.WriteLine($"  uid   {userId}");
        foreach (var subkey in key.Subkeys)
            output.WriteLine($"  sub   {subkey.KeyId} {Day(subkey.Created)} {Validity(subkey.Expires, subkey.Revoked)}{(subkey.CanSign ? ", signs" : "")}");
    }

    private static string Validity(DateTime? expires, bool revoked) =>
        revoked ? "[revoked]"
        : expires is not { } day ? "[no expiry]"
        : day <= DateTime.UtcNow ? $"[expired {Day(day)}]"
        : $"[expires {Day(day)}]";

    private static string Day(DateTime time) => time.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A fingerprint in groups of four, as gpg and the distributions' pages print it.</summary>
    private static string Grouped(string fingerprint) =>
        string.Join(" ", Enumerable.Range(0, fingerprint.Length / 4).Select(i => fingerprint.Substring(i * 4, 4)));
}

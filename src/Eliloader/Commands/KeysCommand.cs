using System.CommandLine;
using Eliloader.Formats.OpenPgp;
using Eliloader.Verification;

namespace Eliloader.Commands;

/// <summary>
/// `eliloader keys list`: the OpenPGP keys in keyring-dir that signed install trees are
/// checked against, each with its file, fingerprint, user IDs, expiry and signing
/// subkeys, and the files that could not be read, so an administrator can compare
/// fingerprints with the ones the distributions publish.
/// </summary>
public sealed class KeysCommand : AdminCommand
{
    private readonly Command list = new("list");

    public KeysCommand() : base(new Command("keys"))
    {
        Syntax.Subcommands.Add(list);
    }

    public override string Usage => """
        Usage: eliloader keys list

        Lists the OpenPGP public keys in keyring-dir (*.gpg binary and *.asc armored
        files) that the signatures of install trees (Debian InRelease / Release.gpg, SUSE
        content.asc) are checked against: for each key its file, fingerprint, user IDs,
        creation and expiry, whether it is revoked, and its signing subkeys. Compare the
        fingerprints with the ones the distribution publishes before trusting a key.
        Exit status: 0, or 1 when a keyring file cannot be read.
        """;

    protected override int Run(ParseResult parsed, CommandContext context)
    {
        var output = Console.Out;
        var keyringDir = context.Settings.KeyringDir;
        var keys = TrustedKeys.Load(keyringDir, context.Log);
        var described = keys.Keyring.Describe();
        if (keys.Files.Count == 0)
            output.WriteLine($"no keyring files (*.gpg, *.asc) in {keyringDir}");
        foreach (var (file, problem) in keys.Files)
        {
            output.WriteLine(problem is null ? $"{file}:" : $"{file}: cannot be read: {problem}");
            foreach (var key in described.Where(k => k.Source == file))
                Write(output, key);
        }
        return keys.Files.Any(f => f.Problem is not null) ? 1 : 0;
    }

    private static void Write(TextWriter output, KeyDescription key)
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

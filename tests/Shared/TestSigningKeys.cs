using System.Diagnostics;
using System.Text;

namespace Eliloader.TestSupport;

/// <summary>gpgv's verdict on one signed file: its exit code and status lines (GOODSIG, BADSIG, EXPKEYSIG, REVKEYSIG, ERRSIG, VALIDSIG…).</summary>
public sealed record GpgvResult(int ExitCode, IReadOnlyList<string> Status)
{
    public bool Has(string keyword) => Status.Any(s => s.StartsWith("[GNUPG:] " + keyword + " ", StringComparison.Ordinal));

    /// <summary>
    /// Whether eliloader's rules accept what gpgv reports: a good signature, or a good one
    /// by a key that has expired since (gpgv: EXPKEYSIG with VALIDSIG) when it was made
    /// before the expiry; never a revoked key's, a bad one or an unknown key's.
    /// </summary>
    public bool AcceptedUnderEliloaderRules(IReadOnlyDictionary<string, DateTimeOffset> expiries)
    {
        if (Has("GOODSIG") && Has("VALIDSIG"))
            return true;
        if (!Has("EXPKEYSIG") || !Has("VALIDSIG") || Has("REVKEYSIG"))
            return false;
        var valid = Status.First(s => s.StartsWith("[GNUPG:] VALIDSIG ", StringComparison.Ordinal)).Split(' ');
        var made = DateTimeOffset.FromUnixTimeSeconds(long.Parse(valid[4], System.Globalization.CultureInfo.InvariantCulture));
        var primary = valid.Length > 11 ? valid[11] : valid[2];
        return expiries.TryGetValue(primary, out var expires) && made < expires;
    }
}

/// <summary>
/// OpenPGP keys made at test time with gpg, each for one case of the rules: an RSA 4096
/// archive key, a key that signs with a subkey, a key that had expired (signatures made
/// while it was valid), a key whose expiry lies before its signatures, a revoked key,
/// and a stranger's key no keyring holds. Signatures are made in a home where every key
/// is still usable; the public keys are exported from a second home where the lapsed key's
/// expiry was set and the revoked key's revocation imported.
/// </summary>
public sealed class TestSigningKeys : IDisposable
{
    public const string Archive = "archive";
    public const string Subkeyed = "subkeyed";
    public const string Expired = "expired";
    public const string Lapsed = "lapsed";
    public const string Revoked = "revoked";
    public const string Stranger = "stranger";

    /// <summary>When the expired key's signatures are made: inside its one year of validity.</summary>
    public const string WhileValid = "20200601T000000";

    private const string Past = "20200101T000000";

    private readonly string root;
    private readonly string signer;
    private readonly string published;
    private readonly Dictionary<string, string> fingerprints = [];

    public TestSigningKeys()
    {
        root = Path.Combine(Path.GetTempPath(), "elk-" + Guid.NewGuid().ToString("N")[..10]);
        signer = Path.Combine(root, "signer");
        published = Path.Combine(root, "published");
        Directory.CreateDirectory(signer);
        Gpg(signer, null, "--quick-gen-key", $"Test Archive Signing Key <{Archive}@example.org>", "rsa4096", "sign", "never");
        Gpg(signer, null, "--quick-gen-key", $"Test Subkey Signer <{Subkeyed}@example.org>", "rsa2048", "cert", "never");
        Gpg(signer, null, "--quick-add-key", Fingerprint(Subkeyed), "rsa2048", "sign", "never");
        Gpg(signer, Past, "--quick-gen-key", $"Test Expired Key <{Expired}@example.org>", "rsa2048", "sign", "2021-01-01");
        Gpg(signer, Past, "--quick-gen-key", $"Test Lapsed Key <{Lapsed}@example.org>", "rsa2048", "sign", "never");
        Gpg(signer, null, "--quick-gen-key", $"Test Revoked Key <{Revoked}@example.org>", "rsa2048", "sign", "never");
        Gpg(signer, null, "--quick-gen-key", $"Test Stranger Key <{Stranger}@example.org>", "rsa2048", "sign", "never");
        Gpgconf(signer);
        CopyDirectory(signer, published);
        Gpg(published, WhileValid, "--quick-set-expire", Fingerprint(Lapsed), "2021-01-01");
        var revocation = Path.Combine(published, "openpgp-revocs.d", Fingerprint(Revoked) + ".rev");
        var certificate = Path.Combine(root, "revoke.asc");
        File.WriteAllText(certificate, File.ReadAllText(revocation).Replace(":-----BEGIN", "-----BEGIN"));
        Gpg(published, null, "--import", certificate);
        Gpgconf(published);
    }

    /// <summary>The primary key's fingerprint, upper-case hex.</summary>
    public string Fingerprint(string name)
    {
        if (!fingerprints.TryGetValue(name, out var fingerprint))
        {
            var listing = Gpg(signer, null, "--with-colons", "--list-keys", $"{name}@example.org");
            fingerprint = listing.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
            fingerprints[name] = fingerprint;
        }
        return fingerprint;
    }

    /// <summary>The long key ID signatures by this key carry: the signing subkey's for the subkey signer, else the primary's.</summary>
    public string SigningKeyId(string name)
    {
        var listing = Gpg(signer, null, "--with-colons", "--list-keys", Fingerprint(name));
        var keys = listing.Split('\n').Where(l => l.StartsWith("pub:", StringComparison.Ordinal) || l.StartsWith("sub:", StringComparison.Ordinal)).ToList();
        return keys.Last(l => l.Split(':')[11].Contains('s')).Split(':')[4];
    }

    /// <summary>Every key's expiry by fingerprint, as the published keys state it (what gpgv sees).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Expiries()
    {
        var expiries = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        string? pub = null;
        foreach (var line in Gpg(published, null, "--with-colons", "--list-keys").Split('\n'))
        {
            var fields = line.Split(':');
            if (fields[0] == "pub")
                pub = fields[6];
            else if (fields[0] == "fpr" && pub is { Length: > 0 })
            {
                expiries[fields[9]] = DateTimeOffset.FromUnixTimeSeconds(long.Parse(pub, System.Globalization.CultureInfo.InvariantCulture));
                pub = null;
            }
            else if (fields[0] == "fpr")
                pub = null;
        }
        return expiries;
    }

    /// <summary>The public keys as a binary keyring (gpg --export).</summary>
    public byte[] PublicKeys(params string[] names) => Export(names, armor: false);

    /// <summary>The public keys as armored text (gpg --export --armor).</summary>
    public string ArmoredPublicKeys(params string[] names) => Encoding.ASCII.GetString(Export(names, armor: true));

    /// <param name="extra">More gpg options (--ignore-time-conflict, say).</param>
    public string ClearSign(string name, string text, string? fakedTime = null, string digest = "SHA256", params string[] extra) =>
        Encoding.UTF8.GetString(Sign(name, Encoding.UTF8.GetBytes(text), fakedTime, ["--clearsign", "--digest-algo", digest, .. extra]));

    public string DetachSign(string name, byte[] data, string? fakedTime = null, string digest = "SHA256") =>
        Encoding.ASCII.GetString(Sign(name, data, fakedTime, ["--detach-sign", "--armor", "--digest-algo", digest]));

    /// <summary>A signature time that keeps the key valid: inside the expired key's year, else now.</summary>
    public static string? SigningTime(string name) => name == Expired ? WhileValid : null;

    /// <summary>Debian's gpgv on a signed file (and the data, for a detached signature), with a binary keyring.</summary>
    public static GpgvResult Gpgv(string keyring, string signature, string? data = null)
    {
        var args = new List<string> { "--status-fd", "1", "--keyring", Path.GetFullPath(keyring), signature };
        if (data is not null)
            args.Add(data);
        var (code, stdout, _) = Run("gpgv", args, null);
        return new GpgvResult(code, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private byte[] Export(string[] names, bool armor)
    {
        var output = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Gpg(published, null, [.. armor ? new[] { "--armor" } : [], "--output", output, "--export", .. names.Select(Fingerprint)]);
        var bytes = File.ReadAllBytes(output);
        File.Delete(output);
        return bytes;
    }

    private byte[] Sign(string name, byte[] data, string? fakedTime, string[] how)
    {
        var input = Path.Combine(root, Guid.NewGuid().ToString("N"));
        var output = input + ".sig";
        File.WriteAllBytes(input, data);
        Gpg(signer, fakedTime ?? SigningTime(name), [.. how, "--local-user", Fingerprint(name), "--output", output, input]);
        var signature = File.ReadAllBytes(output);
        File.Delete(input);
        File.Delete(output);
        return signature;
    }

    private static string Gpg(string home, string? fakedTime, params string[] args)
    {
        var all = new List<string> { "--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "" };
        if (fakedTime is not null)
            all.AddRange(["--faked-system-time", fakedTime]);
        all.AddRange(args);
        var (code, stdout, stderr) = Run("gpg", all, null);
        if (code != 0)
            throw new InvalidOperationException($"gpg {string.Join(" ", args)}: {stderr}");
        return stdout;
    }

    private static void Gpgconf(string home) => Run("gpgconf", ["--homedir", home, "--kill", "all"], null);

    private static void CopyDirectory(string from, string to)
    {
        var (code, _, stderr) = Run("cp", ["-a", from, to], null);
        if (code != 0)
            throw new InvalidOperationException(stderr);
    }

    private static (int Code, string Stdout, string Stderr) Run(string program, IEnumerable<string> args, string? input)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        Gpgconf(signer);
        Gpgconf(published);
        Directory.Delete(root, recursive: true);
    }
}

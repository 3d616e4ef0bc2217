using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>What the toolstack builds the domain from, and the bytes of the files, which it has deleted.</summary>
public sealed record AcceptedBoot(string Kernel, byte[] KernelBytes, string? Ramdisk, byte[]? RamdiskBytes, string Args);

/// <summary>
/// Takes a bootloader's stdout as xenopsd does: the SXP form parsed as an S-expression
/// (bare atoms or quoted strings, `linux` then (key value) pairs), or the simple form
/// split at each line's first space (lines without a space ignored, an unknown or
/// repeated key refused); then each file must sit directly in one of the directories
/// the toolstack trusts, and after the domain is built the files are deleted.
/// </summary>
public static class ToolstackAnswer
{
    private static readonly string[] Keys = ["kernel", "ramdisk", "args"];

    /// <param name="trusted">The toolstack's directories: /var/run/xend/boot (a test's boot-dir) and /var/run/xen/pygrub.</param>
    public static AcceptedBoot Accept(string stdout, bool simple, params string[] trusted)
    {
        var values = simple ? Simple(stdout) : Sxp(stdout);
        Assert.True(values.ContainsKey("kernel"), $"no kernel in '{stdout}'");
        foreach (var key in new[] { "kernel", "ramdisk" }.Where(values.ContainsKey))
            Assert.Contains(Path.GetDirectoryName(Path.GetFullPath(values[key])), trusted);
        var kernel = values["kernel"];
        var ramdisk = values.GetValueOrDefault("ramdisk");
        var accepted = new AcceptedBoot(kernel, File.ReadAllBytes(kernel), ramdisk, ramdisk is null ? null : File.ReadAllBytes(ramdisk), values.GetValueOrDefault("args") ?? "");
        File.Delete(kernel);
        if (ramdisk is not null)
            File.Delete(ramdisk);
        return accepted;
    }

    private static Dictionary<string, string> Simple(string stdout)
    {
        var values = new Dictionary<string, string>();
        foreach (var line in stdout.Split('\n').Where(l => l.Contains(' ')))
        {
            var space = line.IndexOf(' ');
            var key = line[..space];
            Assert.Contains(key, Keys);
            Assert.True(values.TryAdd(key, line[(space + 1)..]), $"'{key}' repeated");
        }
        return values;
    }

    private static Dictionary<string, string> Sxp(string stdout)
    {
        var tokens = Tokens("(" + stdout + ")");
        var at = 0;
        Expect(tokens, ref at, "(");
        Assert.Equal("linux", tokens[at++].Text);
        var values = new Dictionary<string, string>();
        while (tokens[at].Text != ")" || tokens[at].Quoted)
        {
            Expect(tokens, ref at, "(");
            var key = tokens[at++];
            var value = tokens[at++];
            Assert.False(key.Quoted || value.Text == "(" && !value.Quoted, $"not a (key value) pair in '{stdout}'");
            Expect(tokens, ref at, ")");
            values[key.Text] = value.Text;
        }
        Assert.Equal(tokens.Count, at + 1);
        return values;
    }

    private static void Expect(List<(string Text, bool Quoted)> tokens, ref int at, string text)
    {
        Assert.True(tokens[at].Text == text && !tokens[at].Quoted, $"expected '{text}' at token {at}");
        at++;
    }

    /// <summary>Parentheses, atoms, and strings in '…' or "…" with backslash escapes.</summary>
    private static List<(string Text, bool Quoted)> Tokens(string text)
    {
        var tokens = new List<(string, bool)>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
                continue;
            if (c is '(' or ')')
            {
                tokens.Add((c.ToString(), false));
                continue;
            }
            var value = new StringBuilder();
            if (c is '\'' or '"')
            {
                for (i++; text[i] != c; i++)
                    value.Append(text[i] == '\\' ? Escaped(text[++i]) : text[i]);
                tokens.Add((value.ToString(), true));
                continue;
            }
            for (; i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')'); i++)
                value.Append(text[i]);
            i--;
            tokens.Add((value.ToString(), false));
        }
        return tokens;
    }

    private static char Escaped(char c) => c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => c };
}

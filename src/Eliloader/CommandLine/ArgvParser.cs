using System.Text;

namespace Eliloader.CommandLine;

/// <summary>
/// Parses the argv of every caller generation (docs/protocol.md section 2) as the Python
/// loader's getopt.getopt did: long options as --name=value or --name value, a unique
/// prefix of the Python loader's own long options for the whole name, -q, "--" ending
/// the options. One departure, as Python's gnu_getopt would read them: options are read
/// anywhere, also after the image, where getopt.getopt stopped at the first positional
/// argument (so "-q /dev/xvdd --vm U" crashed the Python loader and boots here).
/// </summary>
public static class ArgvParser
{
    /// <param name="FullNameOnly">
    /// This project's additions for a person: matched only when written in full, so
    /// every prefix the Python loader accepted (--v for --vm) still means the same.
    /// </param>
    internal sealed record LongOption(string Name, bool TakesValue, bool FullNameOnly = false);

    private static readonly LongOption[] LongOptions =
    [
        new("quiet", false),
        new("vm", true),
        new("logging", false),
        new("args", true),
        new("extra_args", true),
        new("default_args", true),
        new("help", false, FullNameOnly: true),
        new("version", false, FullNameOnly: true),
    ];

    /// <summary>xapi passes these with an empty value; the Python loader removed them before parsing.</summary>
    private static readonly HashSet<string> DroppedWhenEmpty = ["--default_args=", "--extra_args=", "--args="];

    /// <summary>The values xapi and early xenopsd escaped with backslashes.</summary>
    private static readonly HashSet<string> EscapedByCaller = ["extra_args", "default_args"];

    public static Invocation Parse(IReadOnlyList<string> argv)
    {
        string? vm = null;
        var quiet = false;
        var logging = false;
        var callerArgs = new StringBuilder();
        var positionals = new List<string>();
        var args = argv.Where(a => !DroppedWhenEmpty.Contains(a)).ToList();

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = arg.IndexOf('=');
                var typed = equals < 0 ? arg[2..] : arg[2..equals];
                var option = Resolve(typed);
                string? value = null;
                if (option.TakesValue)
                {
                    if (equals >= 0)
                        value = arg[(equals + 1)..];
                    else if (i + 1 < args.Count)
                        value = args[++i];
                    else
                        throw new UsageException($"option --{option.Name} requires a value");
                }
                else if (equals >= 0)
                {
                    throw new UsageException($"option --{option.Name} takes no value");
                }

                switch (option.Name)
                {
                    case "help":
                        return new Invocation(InvocationKind.Help, "", "", "", quiet, logging);
                    case "version":
                        return new Invocation(InvocationKind.Version, "", "", "", quiet, logging);
                    case "quiet":
                        quiet = true;
                        break;
                    case "logging":
                        logging = true;
                        break;
                    case "vm":
                        vm = value;
                        break;
                    default:
                        callerArgs.Append(EscapedByCaller.Contains(option.Name) ? Unescape(value!) : value).Append(' ');
                        break;
                }
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                foreach (var flag in arg.AsSpan(1))
                {
                    if (flag == 'h')
                        return new Invocation(InvocationKind.Help, "", "", "", quiet, logging);
                    if (flag != 'q')
                        throw new UsageException($"unknown option -{flag}");
                    quiet = true;
                }
            }
            else
            {
                positionals.Add(arg);
            }
        }

        if (string.IsNullOrEmpty(vm))
            throw new UsageException("--vm is required");
        if (positionals.Count == 0)
            throw new UsageException("the image argument is missing");
        // PV-bootloader-args is split on single spaces, so empty elements come before the image.
        var extra = positionals.Take(positionals.Count - 1).Where(p => p.Length > 0).ToList();
        if (extra.Count > 0)
            throw new UsageException($"more than one image given: {string.Join(" ", extra)} {positionals[^1]}");
        return new Invocation(InvocationKind.Boot, vm, positionals[^1], callerArgs.ToString(), quiet, logging);
    }

    internal static LongOption Resolve(string typed)
    {
        var exact = LongOptions.FirstOrDefault(o => o.Name == typed);
        if (exact is not null)
            return exact;
        var matches = typed.Length == 0
            ? []
            : LongOptions.Where(o => !o.FullNameOnly && o.Name.StartsWith(typed, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UsageException($"unknown option --{typed}"),
            _ => throw new UsageException($"option --{typed} is ambiguous"),
        };
    }

    /// <summary>Undoes the caller's escaping of '"' as '\"' and '\' as '\\'.</summary>
    internal static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is '"' or '\\')
                i++;
            result.Append(value[i]);
        }
        return result.ToString();
    }
}

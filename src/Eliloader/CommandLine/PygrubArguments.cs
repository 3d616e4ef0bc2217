namespace Eliloader.CommandLine;

/// <summary>
/// The caller's argv as it is handed on to pygrub: every argument but the --vm
/// option, in each form the caller's getopt took (--vm U, --vm=U and their unique
/// prefixes such as --v U). Only XenServer's patched pygrub accepts --vm; Xen's own
/// exits 1 with its usage text, and xenopsd stopped giving it to pygrub in 2013.
/// </summary>
public static class PygrubArguments
{
    /// <param name="argv">An argv <see cref="ArgvParser.Parse"/> accepted.</param>
    public static IReadOnlyList<string> From(IReadOnlyList<string> argv)
    {
        var kept = new List<string>();
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg == "--")
            {
                kept.AddRange(argv.Skip(i));
                break;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                kept.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=');
            var option = ArgvParser.Resolve(equals < 0 ? arg[2..] : arg[2..equals]);
            var isVm = option.Name == "vm";
            if (!isVm)
                kept.Add(arg);
            // A value given as the next argument belongs to its option, even one that looks like --vm.
            if (option.TakesValue && equals < 0 && i + 1 < argv.Count)
            {
                i++;
                if (!isVm)
                    kept.Add(argv[i]);
            }
        }
        return kept;
    }
}

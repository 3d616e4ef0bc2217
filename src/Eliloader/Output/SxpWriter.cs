using System.Text;
using Eliloader.Errors;

namespace Eliloader.Output;

/// <summary>
/// The S-expression every caller before September 2016 reads:
/// <c>linux (kernel K)(ramdisk R)(args "A")</c>. Paths are bare atoms, so they cannot
/// hold spaces, parentheses or quotes; args are quoted with '"' and '\' escaped. The
/// 2012–2016 parser crashes on <c>(args "")</c>, so empty args become one space.
/// </summary>
public sealed class SxpWriter : IBootConfigWriter
{
    public string Name => "sxp";

    public string Write(BootConfig config)
    {
        var line = new StringBuilder("linux (kernel ").Append(Atom("kernel", config.Kernel)).Append(')');
        if (config.Ramdisk is not null)
            line.Append("(ramdisk ").Append(Atom("ramdisk", config.Ramdisk)).Append(')');
        var args = config.Args.Length == 0 ? " " : config.Args;
        line.Append("(args \"").Append(Quote(args)).Append("\")\n");
        return line.ToString();
    }

    private static string Atom(string what, string value) =>
        value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '"' or '\\' or '\0')
            ? throw new ApiError(ApiError.InternalError, $"The {what} path '{value}' cannot be written in the SXP boot format.")
            : value;

    private static string Quote(string args)
    {
        if (args.Any(c => c is '\n' or '\r' or '\0'))
            throw new ApiError(ApiError.UnsupportedInstallMethod,
                $"The kernel arguments '{args}' contain a line break or NUL, which the SXP boot format cannot carry.");
        return args.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }
}

using Eliloader.Commands;
using Eliloader.Errors;
using Eliloader.Pipeline;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Eliloader;

/// <summary>
/// Tells the two ways eliloader is run apart: an administrator's command
/// (`eliloader diagnose …`) or, for anything else, the toolstack's boot run, which
/// must stay fast and never touches the administrators' command-line parser.
/// </summary>
public static class Program
{
    public static int Main(string[] argv) =>
        LastResort.Run(() => AdminCommands.Find(argv) is { } command
            ? command.Create().Invoke(argv[1..])
            : ToolstackRun.Run(argv));
}

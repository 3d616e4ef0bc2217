using System.Reflection;
using System.Runtime.InteropServices;
using Eliloader.Boot;
using Eliloader.CommandLine;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Output;
using Eliloader.Pipeline;
using Eliloader.Xen.Logging;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Eliloader;

public static class Program
{
    private const int ApiFailure = 1;
    private const int UsageFailure = 2;

    public static int Main(string[] argv)
    {
        Settings settings;
        try
        {
            settings = SettingsFile.Load();
        }
        catch (ApiError error)
        {
            // The configuration names the dialect, so a broken one falls back to today's.
            Console.Error.Write(ErrorDialectText.Format(ErrorDialect.RuntimeError, error));
            return ApiFailure;
        }

        Invocation invocation;
        try
        {
            invocation = ArgvParser.Parse(argv);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine(UsageException.UsageLine);
            Console.Error.WriteLine($"({e.Message})");
            return UsageFailure;
        }

        switch (invocation.Kind)
        {
            case InvocationKind.Help:
                Console.Out.Write(HelpText.Text + "\n");
                return 0;
            case InvocationKind.Version:
                Console.Out.WriteLine("eliloader " + Version);
                return 0;
        }

        using var syslog = new Syslog(settings.SyslogSocket, "eliloader");
        void Log(string message)
        {
            syslog.Info(message);
            if (invocation.Logging)
                Console.Error.WriteLine(message);
        }

        Log("invoked: " + string.Join(" ", argv.Select(a => $"'{a}'")));
        var dialect = CallerDialect.Resolve(settings, () => ToolstackProbe.Probe(settings.ToolstackBinaries));
        Log($"output {dialect.Writer.Name}, errors {dialect.Errors}: {dialect.Reason}");

        var cleanup = new RunCleanup(Log);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => cleanup.UndoAll());
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => cleanup.UndoAll());
        using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => cleanup.UndoAll());
        try
        {
            var output = new BootRun(settings, cleanup, Log).Run(invocation, dialect.Writer);
            Console.Out.Write(output);
            Console.Out.Flush();
            cleanup.Keep();
            Log("boot configuration: " + output.TrimEnd('\n').Replace("\n", " | "));
            return 0;
        }
        catch (Exception e)
        {
            var error = e as ApiError ?? new ApiError(ApiError.InternalError, e.Message);
            syslog.Error($"failed: {error.Code} {string.Join(" ", error.Parameters)}" + (e is ApiError ? "" : $" ({e.GetType().Name})"));
            cleanup.UndoAll();
            Console.Error.Write(ErrorDialectText.Format(dialect.Errors, error));
            return ApiFailure;
        }
    }

    private static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}

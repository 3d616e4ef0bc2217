using System.Runtime.InteropServices;
using System.Text;
using Eliloader.Boot;
using Eliloader.CommandLine;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Output;
using Eliloader.Xen.Logging;
using Eliloader.Xen.Pygrub;

namespace Eliloader.Pipeline;

/// <summary>
/// The run the toolstack starts, `eliloader -q --vm U … IMAGE`: its argv read as the
/// Python loader's getopt did, the configuration, syslog, the caller's dialect, the
/// signals that undo the run, and the boot outcome turned into stdout, an exec of
/// pygrub, or an error on stderr with the exit status the caller knows.
/// </summary>
public static class ToolstackRun
{
    private const int ApiFailure = 1;
    private const int UsageFailure = 2;
    private const int PygrubFailed = 3;

    public static int Run(string[] argv)
    {
        Invocation invocation;
        try
        {
            invocation = ArgvParser.Parse(argv);
        }
        catch (UsageException e)
        {
            // As the Python loader: the usage line, then the marker current callers look for.
            Console.Error.Write($"{UsageException.UsageLine}\nRuntimeError: Invalid command line arguments.\n{e.Message}\n");
            return UsageFailure;
        }

        switch (invocation.Kind)
        {
            // A person's questions: answered without the configuration, straight to the descriptor.
            case InvocationKind.Help:
                return Answer(HelpText.Text + "\n");
            case InvocationKind.Version:
                return Answer("eliloader " + BuildVersion.Text + "\n");
        }

        // A broken configuration reaches the last resort, in today's dialect: the configuration names the dialect.
        var settings = SettingsFile.Load();
        LastResort.Use(settings);
        return Boot(settings, invocation, argv);
    }

    private static int Answer(string text)
    {
        StandardOutput.Write(Encoding.UTF8.GetBytes(text));
        return 0;
    }

    private static int Boot(Settings settings, Invocation invocation, string[] argv)
    {
        using var syslog = new Syslog(settings.SyslogSocket, "eliloader");
        void Log(string message)
        {
            syslog.Info(message);
            if (invocation.Logging)
                Console.Error.WriteLine(message);
        }

        Log("invoked: " + string.Join(" ", argv.Select(a => $"'{a}'")));
        var dialect = CallerDialect.Resolve(settings, () => ToolstackProbe.Probe(settings.ToolstackBinaries));
        LastResort.Use(dialect.Errors);
        Log($"output {dialect.Writer.Name}, errors {dialect.Errors}: {dialect.Reason}");

        var cleanup = new RunCleanup(Log);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => cleanup.UndoAll());
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => cleanup.UndoAll());
        using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => cleanup.UndoAll());
        try
        {
            switch (new BootRun(settings, cleanup, Log).Run(invocation, argv, dialect.Writer))
            {
                case PrintBootConfig print:
                    Console.Out.Write(print.Text);
                    Console.Out.Flush();
                    cleanup.Keep();
                    Log("boot configuration: " + print.Text.TrimEnd('\n').Replace("\n", " | "));
                    return 0;
                case ExecPygrub exec:
                    cleanup.Keep();
                    Log($"exec {exec.Path} {string.Join(" ", exec.Arguments.Select(a => $"'{a}'"))}");
                    throw ProcessImage.Replace(exec.Path, exec.Arguments);
                default:
                    throw new InvalidOperationException("unknown boot outcome");
            }
        }
        catch (PygrubFailure e)
        {
            return Fail(e, new ApiError(ApiError.InternalError, e.Message), PygrubFailed);
        }
        catch (Exception e)
        {
            return Fail(e, ApiError.From(e), ApiFailure);
        }

        int Fail(Exception cause, ApiError error, int status)
        {
            syslog.Error($"failed: {error.Code} {string.Join(" ", error.Parameters)}" + (cause is ApiError ? "" : $" ({cause.GetType().Name})"));
            cleanup.UndoAll();
            Console.Error.Write(ErrorDialectText.Format(dialect.Errors, error));
            return status;
        }
    }
}

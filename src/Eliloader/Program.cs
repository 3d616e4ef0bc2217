using System.Reflection;
using System.Runtime.InteropServices;
using Eliloader.Boot;
using Eliloader.Cache;
using Eliloader.CommandLine;
using Eliloader.Commands;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Output;
using Eliloader.Pipeline;
using Eliloader.Xen.Logging;
using Eliloader.Xen.Pygrub;
using Eliloader.Xen.XenApi;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Eliloader;

public static class Program
{
    private const int ApiFailure = 1;
    private const int UsageFailure = 2;
    private const int PygrubFailed = 3;

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

        if (argv is ["diagnose", .. var diagnoseArgs])
            return Diagnose(settings, diagnoseArgs);
        if (argv is ["restart", .. var restartArgs])
            return RestartInstall(settings, restartArgs);
        if (argv is ["prefetch", .. var prefetchArgs])
            return PrefetchImages(settings, prefetchArgs);
        if (argv is ["cache", .. var cacheArgs])
            return ManageCache(settings, cacheArgs);
        if (argv is ["keys", .. var keysArgs])
            return Manual(settings, keysArgs, KeysCommand.Parse, o => o.Help, KeysCommand.Usage,
                (_, _, _, log) => new KeysCommand(settings.KeyringDir, Console.Out, log).Run());

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

    /// <summary>A manual command: its options parsed, usage errors answered (exit 2), --help printed.</summary>
    private static int Command<T>(string[] args, Func<string[], T> parse, Func<T, bool> wantsHelp, string usage, Func<T, int> run)
    {
        T options;
        try
        {
            options = parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.Write($"{e.Message}\n{usage}\n");
            return UsageFailure;
        }
        if (wantsHelp(options))
        {
            Console.Out.Write(usage + "\n");
            return 0;
        }
        return run(options);
    }

    /// <summary>
    /// What every manual command gets: syslog, the run's cleanup (always undone at the
    /// end: a manual command leaves no scratch file or mount), a progress bar when
    /// stderr is a terminal, and its failures in the Python loader's current dialect.
    /// </summary>
    private static int Manual<T>(Settings settings, string[] args, Func<string[], T> parse, Func<T, bool> wantsHelp, string usage,
        Func<T, RunCleanup, IProgressDisplay, Action<string>, int> run) =>
        Command(args, parse, wantsHelp, usage, options =>
        {
            using var syslog = new Syslog(settings.SyslogSocket, "eliloader");
            var cleanup = new RunCleanup(syslog.Info);
            IProgressDisplay progress = Console.IsErrorRedirected ? NoProgress.Instance : new ProgressBar(Console.Error);
            try
            {
                return run(options, cleanup, progress, syslog.Info);
            }
            catch (Exception e) when (e is ApiError or XenApiFailure or IOException or UnauthorizedAccessException)
            {
                Console.Error.Write(ErrorDialectText.Format(ErrorDialect.RuntimeError, ApiError.From(e)));
                return ApiFailure;
            }
            finally
            {
                cleanup.UndoAll();
            }
        });

    private static int Diagnose(Settings settings, string[] args) =>
        Manual(settings, args, DiagnoseOptions.Parse, o => o.Help, DiagnoseOptions.Usage, (options, cleanup, progress, log) =>
        {
            var dialect = CallerDialect.Resolve(settings, () => ToolstackProbe.Probe(settings.ToolstackBinaries));
            IDiagnosisReport report = options.Json ? new JsonDiagnosisReport(Console.OpenStandardOutput()) : new TextDiagnosisReport(Console.Out);
            return new Diagnosis(settings, dialect, report, progress, cleanup, log).Run(options);
        });

    private static int RestartInstall(Settings settings, string[] args) =>
        Manual(settings, args, Restart.Parse, o => o.Help, Restart.Usage, (options, _, _, log) =>
        {
            new Restart(settings, Console.Out, log).Run(options.Vm, options.Distro);
            return 0;
        });

    private static int PrefetchImages(Settings settings, string[] args) =>
        Manual(settings, args, Prefetch.Parse, o => o.Help, Prefetch.Usage, (options, cleanup, progress, log) =>
        {
            if (options.ListTemplates)
                Prefetch.ListTemplates(Console.Out);
            else
                new Prefetch(settings, Console.Out, progress, cleanup, log).Run(options);
            return 0;
        });

    private static int ManageCache(Settings settings, string[] args) =>
        Manual(settings, args, CacheCommand.Parse, o => o.Help, CacheCommand.Usage, (options, cleanup, _, log) =>
        {
            return new CacheCommand(ImageCache.Required(settings, cleanup, log), Console.Out, log).Run(options);
        });

    private static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}

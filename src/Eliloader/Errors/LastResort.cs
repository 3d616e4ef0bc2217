using Eliloader.Configuration;
using Eliloader.Xen.Logging;

namespace Eliloader.Errors;

/// <summary>
/// The handler of last resort: no path may end in an unhandled exception (a stack
/// trace and SIGABRT mean nothing to the toolstack). Whatever escapes is printed in
/// the caller's dialect as far as it is known by then (an API error with its code,
/// anything else as INTERNAL_ERROR), its stack goes to syslog, and the exit status is 1.
/// </summary>
public static class LastResort
{
    private const int Failure = 1;
    private static ErrorDialect dialect = ErrorDialect.RuntimeError;
    private static string syslogSocket = Settings.DefaultSyslogSocket;

    public static int Run(Func<int> main)
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) => Environment.Exit(Report(e.ExceptionObject as Exception));
        try
        {
            return main();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>The configuration was read: the stack goes to its syslog socket, and an error-format it names is the dialect.</summary>
    public static void Use(Settings settings)
    {
        syslogSocket = settings.SyslogSocket;
        if (settings.ErrorFormat != ErrorFormatSetting.Auto)
            dialect = settings.ErrorFormat == ErrorFormatSetting.CodeLines ? ErrorDialect.CodeLines : ErrorDialect.RuntimeError;
    }

    /// <summary>The caller's dialect is known.</summary>
    public static void Use(ErrorDialect known) => dialect = known;

    private static int Report(Exception? failure)
    {
        var error = failure is null ? new ApiError(ApiError.InternalError, "an unknown failure") : ApiError.From(failure);
        Console.Error.Write(ErrorDialectText.Format(dialect, error));
        try
        {
            using var syslog = new Syslog(syslogSocket, "eliloader");
            // One message per line: a syslog message is bounded, a stack is not.
            foreach (var line in (failure?.ToString() ?? "unknown").Split('\n'))
                syslog.Error("unhandled: " + line.TrimEnd('\r'));
        }
        catch (Exception)
        {
            // The log was the last place left to tell; the caller has the error already.
        }
        return Failure;
    }
}

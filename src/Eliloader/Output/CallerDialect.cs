using Eliloader.Configuration;
using Eliloader.Errors;

namespace Eliloader.Output;

/// <summary>
/// The stdout format and stderr dialect of the caller, from configuration or, for
/// "auto", from the toolstack probe. Nothing on the command line tells callers apart.
/// </summary>
public sealed record CallerDialect(IBootConfigWriter Writer, ErrorDialect Errors, string Reason)
{
    public static CallerDialect Resolve(Settings settings, Func<ToolstackFacts> probe)
    {
        var facts = new Lazy<ToolstackFacts>(probe);
        var reasons = new List<string>();

        IBootConfigWriter writer;
        switch (settings.OutputFormat)
        {
            case OutputFormatSetting.Sxp:
                writer = new SxpWriter();
                reasons.Add("output-format = sxp");
                break;
            case OutputFormatSetting.Simple:
                writer = new SimpleWriter();
                reasons.Add("output-format = simple");
                break;
            default:
                writer = facts.Value.ExpectsSimpleFormat ? new SimpleWriter() : new SxpWriter();
                reasons.Add(facts.Value.Binary is null
                    ? "output-format = auto: no toolstack binary found, so sxp"
                    : $"output-format = auto: {facts.Value.Binary} {(facts.Value.ExpectsSimpleFormat ? "has" : "lacks")} the simple-format parser");
                break;
        }

        ErrorDialect errors;
        switch (settings.ErrorFormat)
        {
            case ErrorFormatSetting.RuntimeError:
                errors = ErrorDialect.RuntimeError;
                reasons.Add("error-format = runtime-error");
                break;
            case ErrorFormatSetting.CodeLines:
                errors = ErrorDialect.CodeLines;
                reasons.Add("error-format = code-lines");
                break;
            default:
                // Without a binary to look at, assume a caller of the last decade.
                errors = facts.Value.Binary is null || facts.Value.ReadsRuntimeErrorMarker ? ErrorDialect.RuntimeError : ErrorDialect.CodeLines;
                reasons.Add(facts.Value.Binary is null
                    ? "error-format = auto: no toolstack binary found, so runtime-error"
                    : $"error-format = auto: {facts.Value.Binary} {(facts.Value.ReadsRuntimeErrorMarker ? "reads" : "does not read")} the RuntimeError marker");
                break;
        }
        return new CallerDialect(writer, errors, string.Join("; ", reasons));
    }
}

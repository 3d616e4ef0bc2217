namespace Eliloader.Errors;

/// <summary>How the caller reads stderr after a failure (docs/protocol.md section 10).</summary>
public enum ErrorDialect
{
    /// <summary>August 2012 on: everything after the first "RuntimeError: ".</summary>
    RuntimeError,

    /// <summary>xapi 2010 to May 2012: the first line is the code, the rest its parameters.</summary>
    CodeLines,
}

public static class ErrorDialectText
{
    public static string Format(ErrorDialect dialect, ApiError error)
    {
        var body = error.Code + "\n" + string.Concat(error.Parameters.Select(p => p + "\n"));
        return dialect == ErrorDialect.RuntimeError ? "RuntimeError: " + body : body;
    }
}

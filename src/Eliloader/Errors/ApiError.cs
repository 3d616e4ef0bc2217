namespace Eliloader.Errors;

/// <summary>
/// An error the toolstack shows to the user: a code and its parameters, as the
/// Python loader's API errors were.
/// </summary>
public sealed class ApiError(string code, params string[] parameters)
    : Exception(code + (parameters.Length > 0 ? ": " + string.Join(" ", parameters) : ""))
{
    public string Code { get; } = code;
    public IReadOnlyList<string> Parameters { get; } = parameters;

    public const string UnsupportedInstallMethod = "UNSUPPORTED_INSTALL_METHOD";
    public const string SupportPackageMissing = "SUPPORT_PACKAGE_MISSING";
    public const string InvalidSource = "INVALID_SOURCE";
    public const string Limits = "LIMITS";
    public const string InternalError = "INTERNAL_ERROR";
}

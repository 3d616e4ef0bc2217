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

    /// <summary>
    /// What the caller is told of a failure: an API error as it is, a XenAPI failure with
    /// its own code and parameters, pygrub output refused as the guest's fault, anything
    /// else as an internal error with its message.
    /// </summary>
    public static ApiError From(Exception failure) => failure switch
    {
        ApiError api => api,
        Xen.XenApi.XenApiFailure xenApi => new(xenApi.Code, [.. xenApi.Parameters]),
        Xen.Pygrub.PygrubOutputRefused refused => new(InvalidSource, refused.Message),
        _ => new(InternalError, failure.Message),
    };

    public const string UnsupportedInstallMethod = "UNSUPPORTED_INSTALL_METHOD";
    public const string SupportPackageMissing = "SUPPORT_PACKAGE_MISSING";
    public const string InvalidSource = "INVALID_SOURCE";
    public const string Limits = "LIMITS";
    public const string InternalError = "INTERNAL_ERROR";
}

namespace Eliloader.Xen.XenApi;

/// <summary>A XenAPI call answered with Status = Failure: ErrorDescription is [code, params…].</summary>
public sealed class XenApiFailure(string code, IReadOnlyList<string> parameters)
    : Exception($"XenAPI failure {code}" + (parameters.Count > 0 ? ": " + string.Join(", ", parameters) : ""))
{
    public string Code { get; } = code;
    public IReadOnlyList<string> Parameters { get; } = parameters;

    public const string SessionInvalid = "SESSION_INVALID";
}

namespace Eliloader.Xen.XenApi;

/// <summary>
/// A XenAPI session over the local socket, where login is trusted. Every call takes
/// the session reference first; a SESSION_INVALID answer logs in again (up to three
/// times, as the Python client did). Disposing logs out.
/// </summary>
public sealed class XenApiSession : IDisposable
{
    private const int LoginRetries = 3;
    private readonly XmlRpcOverUnixSocket transport;
    private readonly Action<string> log;
    private string? reference;

    public XenApiSession(XmlRpcOverUnixSocket transport, Action<string> log)
    {
        this.transport = transport;
        this.log = log;
        reference = Login();
    }

    public object Call(string method, params object[] parameters)
    {
        for (var attempt = 0; ; attempt++)
        {
            reference ??= Login();
            try
            {
                return Unwrap(method, transport.Call(method, [reference, .. parameters]));
            }
            catch (XenApiFailure failure) when (failure.Code == XenApiFailure.SessionInvalid && attempt < LoginRetries)
            {
                log($"{method}: session invalid, logging in again");
                reference = null;
            }
        }
    }

    public string CallString(string method, params object[] parameters) => AsString(method, Call(method, parameters));

    public void Dispose()
    {
        if (reference is null)
            return;
        try
        {
            Unwrap("session.logout", transport.Call("session.logout", [reference]));
        }
        catch (Exception e) when (e is XenApiFailure or IOException or InvalidDataException)
        {
            log($"session.logout failed: {e.Message}");
        }
        reference = null;
    }

    private string Login() =>
        AsString("session.login_with_password",
            Unwrap("session.login_with_password", transport.Call("session.login_with_password", ["", "", "1.1", "eliloader"])));

    private static object Unwrap(string method, object response)
    {
        if (response is not Dictionary<string, object> result || !result.TryGetValue("Status", out var status))
            throw new InvalidDataException($"XenAPI answered {method} without a Status");
        if (status is "Success")
            return result.TryGetValue("Value", out var value) ? value : "";
        if (status is "Failure" && result.TryGetValue("ErrorDescription", out var description) && description is List<object> { Count: > 0 } items)
        {
            // A code and parameters are strings; anything else would reach the user as a .NET type name.
            if (items.FirstOrDefault(item => item is not string) is { } odd)
                throw new InvalidDataException($"XenAPI answered {method} with a Failure whose ErrorDescription holds {Kind(odd)} where a string belongs");
            throw new XenApiFailure((string)items[0], items.Skip(1).Cast<string>().ToList());
        }
        throw new InvalidDataException($"XenAPI answered {method} with Status '{(status as string) ?? Kind(status)}' and no usable ErrorDescription");
    }

    internal static string AsString(string method, object value) =>
        value as string ?? throw new InvalidDataException($"XenAPI answered {method} with {Kind(value)}, not a string");

    /// <summary>An XML-RPC value's kind, as a person reading the error knows it.</summary>
    internal static string Kind(object value) => value switch
    {
        Dictionary<string, object> => "a struct",
        List<object> => "an array",
        string => "a string",
        bool => "a boolean",
        int or long => "an integer",
        double => "a double",
        DateTime => "a dateTime",
        byte[] => "base64 data",
        _ => "a " + value.GetType().Name,
    };
}

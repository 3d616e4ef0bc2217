using Eliloader.Xen.XenApi;

namespace Eliloader.Configuration;

/// <summary>The XenAPI session on the configured local socket, as every command of eliloader opens it.</summary>
public static class LocalXenApi
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static XenApiSession Open(Settings settings, Action<string> log) =>
        new(new XmlRpcOverUnixSocket(settings.XapiSocket, Timeout), log);
}

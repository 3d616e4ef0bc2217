using System.Text.RegularExpressions;

namespace Eliloader.Tests.Support;

/// <summary>nginx's access log, read for how often a path was requested and answered with a status.</summary>
public static partial class AccessLog
{
    [GeneratedRegex("\"(?<method>[A-Z]+) (?<path>[^ ]+) HTTP/[0-9.]+\" (?<status>[0-9]{3}) ")]
    private static partial Regex Line();

    /// <summary>Requests for a URL path with a method and status, e.g. ("GET", 200): downloads.</summary>
    public static int Count(NginxMirror mirror, string url, string method, int status)
    {
        var path = new Uri(url).AbsolutePath;
        return File.ReadLines(mirror.AccessLog)
            .Select(line => Line().Match(line))
            .Count(m => m.Success && m.Groups["method"].Value == method && m.Groups["path"].Value == path && m.Groups["status"].Value == status.ToString());
    }
}

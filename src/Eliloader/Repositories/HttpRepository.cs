using System.Globalization;
using System.Net;
using System.Net.Security;
using Eliloader.Errors;

namespace Eliloader.Repositories;

/// <summary>
/// An install tree on an http or https server. Existence is a HEAD request, as in the
/// Python loader; files stream with a stall timeout and a floor on the rate;
/// certificates are checked against the host's CA bundle; install-proxy is the proxy
/// for both schemes. Redirects are followed here, not by the handler, so that a
/// mirror cannot send a download to another scheme.
/// </summary>
public sealed class HttpRepository : IRepository
{
    private const int MaxRedirects = 5;
    private readonly string baseUrl;
    private readonly HttpClient client;
    private readonly TimeSpan stallTimeout;
    private readonly TransferFloor floor;
    private readonly Action<string> log;

    public HttpRepository(string baseUrl, string? proxy, TimeSpan stallTimeout, TransferFloor floor, IReadOnlyList<string> caBundles, Action<string> log)
    {
        this.baseUrl = baseUrl;
        this.stallTimeout = stallTimeout;
        this.floor = floor;
        this.log = log;
        var trust = new CaBundleTrust(caBundles);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = stallTimeout,
            // Without install-proxy, go direct: the toolstack's environment is no place to pick one up from.
            UseProxy = proxy is not null,
            Proxy = proxy is null ? null : new WebProxy(new Uri(proxy)),
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = trust.Validate },
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("eliloader");
    }

    public string Describe(string path) => baseUrl + path;

    public bool Exists(string path) => Look(path).Exists;

    public Lookup Look(string path)
    {
        var url = Describe(path);
        try
        {
            using var response = Send(HttpMethod.Head, url);
            log($"HEAD {url}: {(int)response.StatusCode}");
            // Some servers refuse HEAD outright; only a GET can tell then.
            if (response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
            {
                using var probe = Send(HttpMethod.Get, url);
                return new Lookup(probe.StatusCode == HttpStatusCode.OK, $"HEAD refused, GET {(int)probe.StatusCode}");
            }
            return new Lookup(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}", DeclaredLength(response, url));
        }
        catch (SourceUnavailableException e)
        {
            log($"HEAD {url}: {e.Reason}");
            return new Lookup(false, e.Reason);
        }
    }

    public RemoteFile Open(string path) => OpenIfChanged(path, null);

    /// <summary>A GET that, with validators, is conditional: 304 means the caller's copy is current.</summary>
    public RemoteFile OpenIfChanged(string path, Validators? known)
    {
        var url = Describe(path);
        var response = Send(HttpMethod.Get, url, known);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotModified && known is not null)
            {
                response.Dispose();
                log($"GET {url}: 304, the cached copy is current");
                return RemoteFile.Unchanged(url, known);
            }
            if (response.StatusCode != HttpStatusCode.OK)
                throw new SourceUnavailableException(url, $"HTTP status {(int)response.StatusCode} {response.ReasonPhrase}");
            var length = DeclaredLength(response, url);
            log($"GET {url}: 200, Content-Length {(length?.ToString(CultureInfo.InvariantCulture) ?? "not given")}");
            var validators = Validators.Of(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
            var body = floor.Guard(new StallTimeoutStream(response.Content.ReadAsStream(), stallTimeout, url), url);
            return new RemoteFile(url, length, body, validators);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The request, its redirects followed within http and https (http to https, never back).</summary>
    private HttpResponseMessage Send(HttpMethod method, string url, Validators? known = null)
    {
        var target = new Uri(url);
        for (var redirects = 0; ; redirects++)
        {
            var response = SendOnce(method, target, url, known);
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308))
                return response;
            using (response)
            {
                if (redirects == MaxRedirects)
                    throw new SourceUnavailableException(url, $"more than {MaxRedirects} redirects");
                target = RedirectTarget(target, response, url);
                log($"{method} {url}: {(int)response.StatusCode}, redirected to {target}");
            }
        }
    }

    /// <summary>
    /// Where a redirect from <paramref name="from"/> leads, if it may be followed; a
    /// redirect elsewhere than http or https is INVALID_SOURCE naming both URLs.
    /// </summary>
    /// <param name="url">The URL asked for, which messages name.</param>
    private static Uri RedirectTarget(Uri from, HttpResponseMessage response, string url)
    {
        if (!response.Headers.NonValidated.TryGetValues("Location", out var locations) || locations.Count != 1)
            throw new SourceUnavailableException(url, $"HTTP status {(int)response.StatusCode} without one Location");
        var location = locations.First();
        if (!Uri.TryCreate(from, location, out var target))
            throw new ApiError(ApiError.InvalidSource, $"'{url}' redirects to '{location}', which is not a URL.");
        if (target.Scheme is not ("http" or "https"))
            throw new ApiError(ApiError.InvalidSource, $"'{url}' redirects to '{location}': only http and https redirects are followed.");
        if (from.Scheme == "https" && target.Scheme == "http")
            throw new ApiError(ApiError.InvalidSource, $"'{url}' redirects to '{location}': an https download is not followed to http.");
        return target;
    }

    /// <summary>
    /// The length the answer declares. A malformed Content-Length (negative, not a
    /// number, two that disagree) is INVALID_SOURCE: HttpClient would ignore it and read
    /// the body to the connection's end, and the check against the length would be lost.
    /// </summary>
    private static long? DeclaredLength(HttpResponseMessage response, string url)
    {
        if (!response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var values))
            return null;
        var distinct = values.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 && long.TryParse(distinct[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : throw new ApiError(ApiError.InvalidSource, $"'{url}' was answered with a malformed Content-Length: '{string.Join(", ", values)}'.");
    }

    private HttpResponseMessage SendOnce(HttpMethod method, Uri target, string url, Validators? known)
    {
        using var request = new HttpRequestMessage(method, target);
        if (known?.ETag is { } etag)
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (known?.LastModified is { } lastModified)
            request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
        using var stall = new CancellationTokenSource(stallTimeout);
        try
        {
            return client.Send(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested)
        {
            throw new SourceUnavailableException(url, $"no answer within {stallTimeout.TotalSeconds:0} seconds");
        }
        catch (HttpRequestException e)
        {
            throw new SourceUnavailableException(url, e.InnerException?.Message ?? e.Message);
        }
    }

    public void Dispose() => client.Dispose();
}

using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Eliloader.Repositories;

/// <summary>
/// An install tree on an http or https server. Existence is a HEAD request, as in the
/// Python loader; files stream with a stall timeout; certificates are checked
/// against the host's CA bundle; install-proxy is the proxy for both schemes.
/// </summary>
public sealed class HttpRepository : IRepository
{
    private const int MaxRedirects = 5;
    private readonly string baseUrl;
    private readonly HttpClient client;
    private readonly TimeSpan stallTimeout;
    private readonly Action<string> log;

    public HttpRepository(string baseUrl, string? proxy, TimeSpan stallTimeout, IReadOnlyList<string> caBundles, Action<string> log)
    {
        this.baseUrl = baseUrl;
        this.stallTimeout = stallTimeout;
        this.log = log;
        var trust = new CaBundleTrust(caBundles);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
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
            return new Lookup(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}", response.Content.Headers.ContentLength);
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
        if (response.StatusCode == HttpStatusCode.NotModified && known is not null)
        {
            response.Dispose();
            log($"GET {url}: 304, the cached copy is current");
            return RemoteFile.Unchanged(url, known);
        }
        if (response.StatusCode != HttpStatusCode.OK)
        {
            response.Dispose();
            throw new SourceUnavailableException(url, $"HTTP status {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        var length = response.Content.Headers.ContentLength;
        log($"GET {url}: 200, Content-Length {(length?.ToString() ?? "not given")}");
        var validators = Validators.Of(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
        var body = new StallTimeoutStream(response.Content.ReadAsStream(), stallTimeout, url);
        return new RemoteFile(url, length, body, validators);
    }

    private HttpResponseMessage Send(HttpMethod method, string url, Validators? known = null)
    {
        using var request = new HttpRequestMessage(method, url);
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

using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Eliloader.Repositories;

/// <summary>
/// An install tree on an FTP server: anonymous login (or the URL's user and
/// password), binary mode, SIZE for existence and length, MDTM for the version, passive
/// RETR streamed under the stall timeout and the floor on the rate.
/// The passive address the server names is ignored in favour of the control
/// connection's, so a hostile server cannot point the data connection elsewhere.
/// </summary>
public sealed partial class FtpRepository : IRepository
{
    private readonly Uri baseUri;
    private readonly string baseUrl;
    private readonly TimeSpan timeout;
    private readonly TransferFloor floor;
    private readonly Action<string> log;
    private FtpControl? control;

    public FtpRepository(string baseUrl, TimeSpan timeout, TransferFloor floor, Action<string> log)
    {
        this.floor = floor;
        this.baseUrl = baseUrl;
        baseUri = new Uri(baseUrl);
        this.timeout = timeout;
        this.log = log;
    }

    public string Describe(string path) => baseUrl + path;

    public bool Exists(string path) => Look(path).Exists;

    public Lookup Look(string path)
    {
        try
        {
            var size = Session().Send("SIZE " + ServerPath(path));
            log($"FTP SIZE {Describe(path)}: {size.Text}");
            return new Lookup(size.Code == 213, "FTP " + size.Text, SizeOf(size));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or SourceUnavailableException)
        {
            log($"FTP {Describe(path)}: {e.Message}");
            return new Lookup(false, e.Message);
        }
    }

    public RemoteFile Open(string path) => OpenIfChanged(path, null);

    /// <summary>
    /// An FTP file's version is its MDTM time with its size; a server that answers no
    /// MDTM gives no validators, and its files are not cached.
    /// </summary>
    public RemoteFile OpenIfChanged(string path, Validators? known)
    {
        var url = Describe(path);
        try
        {
            var session = Session();
            var size = session.Send("SIZE " + ServerPath(path));
            var length = SizeOf(size);
            var modified = session.Send("MDTM " + ServerPath(path));
            var validators = modified.Code == 213 && length is not null ? new Validators(null, $"{modified.Text[4..].Trim()}:{length}") : null;
            if (validators is not null && validators == known)
            {
                log($"FTP {url}: MDTM and SIZE unchanged, the cached copy is current");
                return RemoteFile.Unchanged(url, validators);
            }
            var data = OpenDataConnection(session, url);
            var retrieve = session.Send("RETR " + ServerPath(path));
            if (retrieve.Code is not (125 or 150))
            {
                data.Dispose();
                throw new SourceUnavailableException(url, retrieve.Text);
            }
            log($"FTP RETR {url}: {retrieve.Text}, size {length?.ToString(CultureInfo.InvariantCulture) ?? "not given"}");
            return new RemoteFile(url, length, floor.Guard(new FtpDataStream(data, session, timeout, url), url), validators);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            throw new SourceUnavailableException(url, e.Message);
        }
    }

    /// <summary>The length a SIZE reply states, if it is one.</summary>
    private static long? SizeOf(FtpReply size) =>
        size.Code == 213 && long.TryParse(size.Text[4..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;

    private FtpControl Session()
    {
        if (control is not null)
            return control;
        var session = new FtpControl(baseUri.Host, baseUri.IsDefaultPort ? 21 : baseUri.Port, timeout);
        try
        {
            Expect(session.Read(), 220, "greeting");
            var (user, password) = Credentials();
            var login = session.Send("USER " + user);
            if (login.Code == 331)
                login = session.Send("PASS " + password);
            Expect(login, 230, "login");
            Expect(session.Send("TYPE I"), 200, "binary mode");
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return control = session;
    }

    private (string User, string Password) Credentials()
    {
        if (baseUri.UserInfo.Length == 0)
            return ("anonymous", "eliloader@");
        var parts = baseUri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }

    private string ServerPath(string path) => Uri.UnescapeDataString(baseUri.AbsolutePath) + path;

    private TcpClient OpenDataConnection(FtpControl session, string url)
    {
        var passive = session.Send("EPSV");
        int port;
        if (passive.Code == 229 && ExtendedPassive().Match(passive.Text) is { Success: true } extended)
        {
            port = int.Parse(extended.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        else
        {
            passive = session.Send("PASV");
            var classic = Passive().Match(passive.Text);
            if (passive.Code != 227 || !classic.Success)
                throw new SourceUnavailableException(url, "the server offers no passive mode: " + passive.Text);
            port = int.Parse(classic.Groups[1].Value, CultureInfo.InvariantCulture) * 256 + int.Parse(classic.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        if (port is < 1 or > 65535)
            throw new SourceUnavailableException(url, $"the server named passive port {port}");
        var data = new TcpClient { ReceiveTimeout = (int)timeout.TotalMilliseconds };
        using var connect = new CancellationTokenSource(timeout);
        data.ConnectAsync(session.RemoteAddress, port, connect.Token).AsTask().GetAwaiter().GetResult();
        return data;
    }

    private static void Expect(FtpReply reply, int code, string step)
    {
        if (reply.Code != code)
            throw new IOException($"FTP {step} refused: {reply.Text}");
    }

    [GeneratedRegex(@"\(\|\|\|(\d{1,5})\|\)")]
    private static partial Regex ExtendedPassive();

    [GeneratedRegex(@"\d{1,3},\d{1,3},\d{1,3},\d{1,3},(\d{1,3}),(\d{1,3})")]
    private static partial Regex Passive();

    public void Dispose()
    {
        if (control is null)
            return;
        try
        {
            control.Send("QUIT");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            log($"FTP QUIT: {e.Message}");
        }
        control.Dispose();
    }
}

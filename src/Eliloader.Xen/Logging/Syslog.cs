using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Eliloader.Xen.Logging;

/// <summary>
/// Sends messages to the local syslog socket as ident "eliloader", facility user,
/// as Python's syslog module did. A missing socket loses the log, never the boot, and
/// a syslog daemon that falls behind loses messages rather than stalling a VM start.
/// </summary>
public sealed class Syslog(string socketPath, string ident) : IDisposable
{
    private const int FacilityUser = 1;
    private const int MaxMessageBytes = 2048;
    private Socket? socket;
    private bool unavailable;

    public void Info(string message) => Send(6, message);

    public void Error(string message) => Send(3, message);

    private void Send(int severity, string message)
    {
        if (unavailable)
            return;
        try
        {
            if (socket is null)
            {
                // No daemon (a bare test host): said once here, without the cost of an exception.
                if (!File.Exists(socketPath))
                {
                    unavailable = true;
                    return;
                }
                socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                socket.Connect(new UnixDomainSocketEndPoint(socketPath));
                socket.Blocking = false;
            }
            var now = DateTime.Now;
            var stamp = string.Create(CultureInfo.InvariantCulture, $"{now:MMM} {now.Day,2} {now:HH:mm:ss}");
            var line = $"<{FacilityUser * 8 + severity}>{stamp} {ident}[{Environment.ProcessId}]: {message}";
            var bytes = Encoding.UTF8.GetBytes(line);
            socket.Send(bytes.AsSpan(0, Math.Min(bytes.Length, MaxMessageBytes)));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            // The daemon's queue is full: this message is lost.
        }
        catch (SocketException)
        {
            unavailable = true;
        }
    }

    public void Dispose() => socket?.Dispose();
}

using Eliloader.Formats;
using System.Net.Sockets;

namespace Eliloader.Repositories;

/// <summary>
/// The data connection of one FTP RETR. A stall, a reset or a transfer the server
/// does not confirm with 226 is an error; the control connection is left ready for the next file.
/// </summary>
public sealed class FtpDataStream(TcpClient data, FtpControl control, TimeSpan timeout, string url) : ForwardReadStream
{
    private readonly NetworkStream inner = data.GetStream();
    private bool finished;

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read;
        try
        {
            read = inner.Read(buffer, offset, count);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            throw new SourceUnavailableException(url, $"no data received for {timeout.TotalSeconds:0} seconds");
        }
        catch (IOException e)
        {
            throw new SourceUnavailableException(url, e.Message);
        }
        if (read == 0 && !finished)
        {
            finished = true;
            var done = control.Read();
            if (done.Code is not (226 or 250))
                throw new SourceUnavailableException(url, "the transfer ended with " + done.Text);
        }
        return read;
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing)
            data.Dispose();
        base.Dispose(disposing);
    }
}

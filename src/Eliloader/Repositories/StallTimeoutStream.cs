using Eliloader.Formats;
namespace Eliloader.Repositories;

/// <summary>
/// A read-only stream that fails when the source sends nothing for the stall
/// timeout, so a stalled mirror cannot hang a VM start (the Python loader waited forever).
/// </summary>
public sealed class StallTimeoutStream(Stream inner, TimeSpan stallTimeout, string url) : ForwardReadStream
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        using var stall = new CancellationTokenSource(stallTimeout);
        try
        {
            return inner.ReadAsync(buffer.AsMemory(offset, count), stall.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested)
        {
            throw new SourceUnavailableException(url, $"no data received for {stallTimeout.TotalSeconds:0} seconds");
        }
        catch (HttpIOException e) when (e.HttpRequestError == HttpRequestError.ResponseEnded)
        {
            throw new SourceUnavailableException(url, "the connection ended early");
        }
        catch (IOException e)
        {
            throw new SourceUnavailableException(url, e.Message);
        }
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}

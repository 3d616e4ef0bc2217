using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace DelayProxy;

/// <summary>One direction of one connection: chunks read as they come, written when the link says they arrive, in order.</summary>
public static class Pump
{
    private const int ChunkBytes = 16 << 10;

    public static async Task Run(NetworkStream from, NetworkStream to, Link link, TimeSpan firstExtra)
    {
        var queue = Channel.CreateUnbounded<(byte[] Data, int Count, long Arrival)>();
        var writer = Deliver(queue.Reader, to);
        var extra = (long)(firstExtra.TotalSeconds * Stopwatch.Frequency);
        try
        {
            while (true)
            {
                var buffer = new byte[ChunkBytes];
                var read = await from.ReadAsync(buffer);
                if (read == 0)
                    break;
                queue.Writer.TryWrite((buffer, read, link.Arrival(read, Stopwatch.GetTimestamp() + extra)));
                extra = 0;
            }
        }
        catch (IOException)
        {
            // The other side reset the connection: deliver what was sent, then close.
        }
        queue.Writer.Complete();
        await writer;
    }

    private static async Task Deliver(ChannelReader<(byte[] Data, int Count, long Arrival)> chunks, NetworkStream to)
    {
        try
        {
            await foreach (var (data, count, arrival) in chunks.ReadAllAsync())
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), arrival);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait);
                await to.WriteAsync(data.AsMemory(0, count));
            }
            to.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The receiving side went away first.
        }
    }
}

using System.Net;
using System.Net.Sockets;
using DelayProxy;

// delay-proxy LISTEN-PORT TARGET-PORT ONE-WAY-DELAY-MS MBIT-PER-SECOND
// A TCP proxy on 127.0.0.1 that makes a loopback server look as far away as a real
// mirror (this kernel has no sch_netem): every chunk waits for the shared bandwidth of
// its direction, then the one-way delay. A connection's first request is held one more
// round trip, the handshake a real connection pays before it can send. Prints the port
// it listens on, then a line for each connection it accepts (the benchmark counts them).
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: delay-proxy LISTEN-PORT TARGET-PORT ONE-WAY-DELAY-MS MBIT-PER-SECOND");
    return 2;
}
var (listenPort, targetPort) = (int.Parse(args[0]), int.Parse(args[1]));
var delay = TimeSpan.FromMilliseconds(double.Parse(args[2]));
var bits = (long)(double.Parse(args[3]) * 1_000_000);
var (up, down) = (new Link(delay, bits), new Link(delay, bits));
var listener = new TcpListener(IPAddress.Loopback, listenPort);
listener.Start();
Console.WriteLine($"listening {((IPEndPoint)listener.LocalEndpoint).Port}");
while (true)
{
    var client = await listener.AcceptTcpClientAsync();
    Console.WriteLine("connection");
    _ = Task.Run(async () =>
    {
        using (client)
        using (var server = new TcpClient())
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort);
            client.NoDelay = server.NoDelay = true;
            var handshake = 2 * delay;
            await Task.WhenAll(
                Pump.Run(client.GetStream(), server.GetStream(), up, handshake),
                Pump.Run(server.GetStream(), client.GetStream(), down, TimeSpan.Zero));
        }
    });
}

using XapiSimulator;

// Runs the simulator as a process (for `make demo` and by hand) until SIGTERM or SIGINT,
// or, as `XapiSimulator diff BEFORE AFTER`, says what changed between two saved states.
if (args is ["diff", var beforePath, var afterPath])
{
    foreach (var line in StateDiff.Describe(SimulatorState.Load(beforePath), SimulatorState.Load(afterPath)))
        Console.WriteLine(line);
    return 0;
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

var statePath = Option("--state");
var xapi = Option("--xapi-socket");
var xenstore = Option("--xenstore-socket");
if (statePath is null || xapi is null || xenstore is null)
{
    Console.Error.WriteLine("usage: XapiSimulator --state FILE --xapi-socket PATH --xenstore-socket PATH [--calls FILE]\n       XapiSimulator diff BEFORE.json AFTER.json");
    return 2;
}
using var simulator = new Simulator(SimulatorState.Load(statePath), xapi, xenstore, statePath, Option("--calls"));
var stop = new TaskCompletionSource();
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
Console.WriteLine($"XapiSimulator ready: xapi {xapi}, xenstore {xenstore}");
await stop.Task;
return 0;

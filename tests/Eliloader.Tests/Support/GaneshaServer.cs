using System.Diagnostics;

namespace Eliloader.Tests.Support;

/// <summary>
/// A real NFS server: Debian's rpcbind and nfs-ganesha (VFS FSAL) on 127.0.0.1 with a
/// generated configuration, exporting directories read-only at their own paths (Pseudo
/// equal to Path, as Linux's knfsd presents v4 paths), NLM and RQUOTA off, fixed ports,
/// no grace period, attributes never cached (as knfsd, which reads them fresh). Both daemons are stopped by pid, whatever the test did to them, and
/// the NFS host lock is held from before they start until after they are gone.
/// </summary>
public sealed class GaneshaServer : IDisposable
{
    private readonly NfsHostLock hostLock = new();
    private readonly List<Process> daemons = [];

    public string Directory { get; }
    public string Log => Path.Combine(Directory, "ganesha.log");
    public int GaneshaPid => daemons[^1].Id;
    public int RpcbindPid => daemons[0].Id;

    /// <param name="protocols">ganesha's Protocols: "3, 4", "3" or "4".</param>
    /// <param name="privilegedPort">Refuse clients whose source port is not below 1024.</param>
    public GaneshaServer(IEnumerable<string> exports, string protocols = "3, 4", bool privilegedPort = false)
    {
        Directory = Path.Combine("/tmp", "eliloader-ganesha-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        try
        {
            var config = Path.Combine(Directory, "ganesha.conf");
            File.WriteAllText(config, Configuration(exports, protocols, privilegedPort));
            Start("/usr/sbin/rpcbind", "-f", "-w");
            WaitFor(() => NfsHostLock.Listening(111), "rpcbind to listen on 111");
            Start("/usr/bin/ganesha.nfsd", "-F", "-f", config, "-L", Log, "-p", Path.Combine(Directory, "ganesha.pid"));
            WaitFor(() => File.Exists(Log) && File.ReadAllText(Log).Contains("NFS SERVER INITIALIZED") && NfsHostLock.Listening(2049),
                "ganesha to start");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>What `nfs-ls` (libnfs, nothing of ours) lists in a directory of the server: the independent check.</summary>
    public string List(string directory, int version = 3)
    {
        var result = ProcessRunner.Run("/usr/bin/nfs-ls", [$"nfs://127.0.0.1{directory}?version={version}"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"nfs-ls {directory} (v{version}): {result.Stderr}");
        return result.Stdout;
    }

    /// <summary>The bytes `nfs-cat` reads from a file of the server.</summary>
    public byte[] Cat(string file, int version = 3)
    {
        var start = new ProcessStartInfo("/usr/bin/nfs-cat", [$"nfs://127.0.0.1{file}?version={version}"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        using var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"nfs-cat {file} (v{version}) exited {process.ExitCode}");
        return bytes.ToArray();
    }

    /// <summary>SIGSTOP: the server keeps its connections and answers nothing, as a hung server does.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGKILL: the server is gone mid-transfer.</summary>
    public void Kill() => Signal("KILL");

    private void Signal(string signal) =>
        Assert.Equal(0, ProcessRunner.Run("kill", [$"-{signal}", GaneshaPid.ToString()]).ExitCode);

    private void Start(string program, params string[] args)
    {
        var process = Process.Start(new ProcessStartInfo(program, args)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        daemons.Add(process);
    }

    private void WaitFor(Func<bool> ready, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!ready())
        {
            if (daemons.FirstOrDefault(d => d.HasExited) is { } exited)
                throw new InvalidOperationException($"{exited.StartInfo.FileName} exited ({exited.ExitCode}) waiting for {what}: {(File.Exists(Log) ? File.ReadAllText(Log) : "")}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"waited 30 s for {what}: {(File.Exists(Log) ? File.ReadAllText(Log) : "")}");
            Thread.Sleep(50);
        }
    }

    private static string Configuration(IEnumerable<string> exports, string protocols, bool privilegedPort) =>
        $$"""
        NFS_CORE_PARAM {
            Bind_addr = 127.0.0.1;
            NFS_Port = 2049;
            MNT_Port = 20048;
            Enable_NLM = false;
            Enable_RQUOTA = false;
            Protocols = {{protocols}};
        }
        NFSV4 { Graceless = true; }
        NFS_KRB5 { Active_krb5 = false; }
        {{string.Join("\n", exports.Select((path, i) => $$"""
        EXPORT {
            Export_Id = {{i + 1}};
            Path = {{path}};
            Pseudo = {{path}};
            Access_Type = RO;
            Squash = No_Root_Squash;
            Protocols = {{protocols}};
            Transports = TCP;
            SecType = sys;
            PrivilegedPort = {{(privilegedPort ? "true" : "false")}};
            # Tests change files under a running server: no attribute caching hides that.
            Attr_Expiration_Time = 0;
            FSAL { Name = VFS; }
        }
        """))}}
        """;

    /// <summary>Both daemons killed by pid (a stopped one too) and waited for, then the lock released.</summary>
    public void Dispose()
    {
        foreach (var daemon in Enumerable.Reverse(daemons))
        {
            if (!daemon.HasExited)
                daemon.Kill();
            daemon.WaitForExit();
            daemon.Dispose();
        }
        daemons.Clear();
        System.IO.Directory.Delete(Directory, recursive: true);
        hostLock.Dispose();
    }
}

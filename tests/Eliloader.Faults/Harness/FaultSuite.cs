using Eliloader.Tests.Support;

namespace Eliloader.Faults.Harness;

/// <summary>
/// What the whole suite shares: nginx and the FTP server (started when a case first
/// needs them) and the table, written to TestResults/faults.txt when the last case has
/// run. The cases run one after another, so their times and RSS are their own.
/// </summary>
public sealed class FaultSuite : IDisposable
{
    public const string Collection = "faults";

    private readonly Lazy<NginxMirror> nginx = new(() => new NginxMirror());
    private readonly Lazy<FtpMirror> ftp = new(() => new FtpMirror());
    private readonly FaultTable table = new();

    public NginxMirror Nginx => nginx.Value;
    public FtpMirror Ftp => ftp.Value;

    public static string Report => Path.Combine(RepoPaths.Root, "TestResults", "faults.txt");

    /// <summary>Runs one case on a fresh host, judges it, adds its row, and fails the test when the verdict has problems.</summary>
    public void Run(string category, FaultCase fault)
    {
        Verdict verdict;
        using (var host = new FaultHost(this, fault.Expected))
        {
            try
            {
                fault.Act(host);
            }
            catch (Exception e)
            {
                host.Check(false, $"the case itself failed: {e.GetType().Name}: {e.Message}");
            }
            verdict = Verdict.Judge(host);
        }
        table.Add(new FaultRow(category, fault.Name, fault.Expected.Label, verdict));
        Assert.True(verdict.Passed, $"{category} / {fault.Name}: expected {fault.Expected.Label}, got {verdict.Got}\n" + string.Join("\n", verdict.Problems));
    }

    public void Dispose()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Report)!);
        File.WriteAllText(Report, table.Render());
        File.WriteAllText(Path.ChangeExtension(Report, ".messages.txt"), table.RenderMessages());
        if (nginx.IsValueCreated)
            nginx.Value.Dispose();
        if (ftp.IsValueCreated)
            ftp.Value.Dispose();
    }
}

[CollectionDefinition(FaultSuite.Collection)]
public sealed class FaultCollection : ICollectionFixture<FaultSuite>;

namespace Eliloader.Tests.Support;

/// <summary>
/// A test with Debian's real pygrub: its own host, /var/run/xen/pygrub held (see
/// <see cref="PygrubDirectory"/>) and noted at the start; whatever a failed test left
/// there is removed at the end, so the next test starts from the same directory.
/// </summary>
[Collection(RealPygrubCollection.Name)]
public abstract class RealPygrubTest : IDisposable
{
    protected readonly Scenario host = new();
    protected readonly PygrubDirectory pygrubDir;
    protected readonly IReadOnlySet<string> before;

    protected RealPygrubTest(PygrubDirectory pygrubDir)
    {
        this.pygrubDir = pygrubDir;
        before = pygrubDir.Snapshot();
        host.Config["pygrub"] = PygrubDirectory.RealPygrub;
    }

    public void Dispose()
    {
        pygrubDir.RemoveNewSince(before);
        host.Dispose();
        GC.SuppressFinalize(this);
    }
}

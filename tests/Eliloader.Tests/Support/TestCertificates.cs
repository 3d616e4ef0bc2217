namespace Eliloader.Tests.Support;

/// <summary>A CA and a server certificate for 127.0.0.1 and localhost, made with openssl at test time.</summary>
public sealed class TestCertificates
{
    public string CaCertificate { get; }
    public string ServerCertificate { get; }
    public string ServerKey { get; }

    /// <summary>A bundle holding only a CA that did not sign the server's certificate.</summary>
    public string UnrelatedCaBundle { get; }

    public TestCertificates(string directory)
    {
        Directory.CreateDirectory(directory);
        CaCertificate = Path.Combine(directory, "ca.crt");
        ServerCertificate = Path.Combine(directory, "server.crt");
        ServerKey = Path.Combine(directory, "server.key");
        UnrelatedCaBundle = Path.Combine(directory, "other-ca.crt");
        var caKey = Path.Combine(directory, "ca.key");
        var csr = Path.Combine(directory, "server.csr");
        var extensions = Path.Combine(directory, "server.ext");
        File.WriteAllText(extensions, "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
        string[] ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        OpenSsl(["req", "-x509", .. ec, "-keyout", caKey, "-out", CaCertificate, "-days", "2", "-subj", "/CN=eliloader test CA"]);
        OpenSsl(["req", .. ec, "-keyout", ServerKey, "-out", csr, "-subj", "/CN=localhost"]);
        OpenSsl(["x509", "-req", "-in", csr, "-CA", CaCertificate, "-CAkey", caKey, "-CAcreateserial", "-out", ServerCertificate, "-days", "2", "-extfile", extensions]);
        OpenSsl(["req", "-x509", .. ec, "-keyout", Path.Combine(directory, "other-ca.key"), "-out", UnrelatedCaBundle, "-days", "2", "-subj", "/CN=unrelated CA"]);
    }

    private static void OpenSsl(string[] args)
    {
        var result = ProcessRunner.Run("openssl", args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"openssl {string.Join(" ", args)}: {result.Stderr}");
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Eliloader.Repositories;

/// <summary>
/// Validates https certificates against the first CA bundle file that exists. The
/// static binary carries no idea of where a dom0 keeps its roots (CentOS:
/// /etc/pki/tls/certs/ca-bundle.crt, Debian: /etc/ssl/certs/ca-certificates.crt).
/// </summary>
public sealed class CaBundleTrust(IReadOnlyList<string> bundlePaths)
{
    private X509Certificate2Collection? roots;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            return false;
        roots ??= LoadRoots();
        if (roots.Count == 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return custom.Build(new X509Certificate2(certificate));
    }

    private X509Certificate2Collection LoadRoots()
    {
        var collection = new X509Certificate2Collection();
        var bundle = bundlePaths.FirstOrDefault(File.Exists);
        if (bundle is not null)
            collection.ImportFromPemFile(bundle);
        return collection;
    }
}

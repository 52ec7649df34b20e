using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Tests.Identity;

namespace Portal.Tests.Web;

/// <summary>The real portal on Kestrel over HTTPS with a self-signed certificate, and a client that trusts exactly that certificate.</summary>
public sealed class HttpsPortal : IAsyncDisposable
{
    private readonly X509Certificate2 _certificate;

    public HttpsPortal()
    {
        _certificate = SelfSigned();
        Portal = new LivePortal(certificate: _certificate);
    }

    public LivePortal Portal { get; }

    public HttpClient Client() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString(),
        },
    })
    { BaseAddress = Portal.BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        _certificate.Dispose();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>The real portal on Kestrel over HTTPS with a self-signed certificate, and a client that trusts exactly that certificate.</summary>
public sealed class HttpsPortal : IAsyncDisposable
{
    private readonly X509Certificate2 _certificate;

    public HttpsPortal()
    {
        _certificate = LoopbackCertificate.Create();
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
}

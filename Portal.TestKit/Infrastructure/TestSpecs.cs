using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.Infrastructure;

public static class TestSpecs
{
    public static SiteSpec Site(string host = "docs.example.com") => new()
    {
        Host = host,
        HostedZoneId = "Z0123456789ABC",
        HostedZoneName = "example.com",
        RedirectFrom = ["www." + host],
    };

    public static MtaStsSpec MtaSts(string domain = "example.com") => new()
    {
        Domain = domain,
        Mode = MtaStsMode.Enforce,
        MaxAge = 604800,
        Mx = ["mx1." + domain, "*.mail." + domain],
        TlsRptRua = ["mailto:tlsrpt@" + domain],
        HostedZoneId = "Z0123456789ABC",
    };
}

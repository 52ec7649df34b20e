using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.Infrastructure;

public static class TestSpecs
{
    /// <summary>The public hosted zone the specs name; a test deploying them to a local cloud creates it with this id.</summary>
    public const string ZoneName = "example.com";

    public const string ZoneId = "Z0123456789ABC";

    public static SiteSpec Site(string host = "docs.example.com") => new()
    {
        Host = host,
        HostedZoneId = ZoneId,
        HostedZoneName = ZoneName,
        RedirectFrom = ["www." + host],
    };

    public static MtaStsSpec MtaSts(string domain = "example.com") => new()
    {
        Domain = domain,
        Mode = MtaStsMode.Enforce,
        MaxAge = 604800,
        Mx = ["mx1." + domain, "*.mail." + domain],
        TlsRptRua = ["mailto:tlsrpt@" + domain],
        HostedZoneId = ZoneId,
    };
}

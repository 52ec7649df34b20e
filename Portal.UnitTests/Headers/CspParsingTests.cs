using Portal.Core.Headers;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.Headers;

/// <summary>Valid CSP Level 3 values are read into ordered directives and written back canonically.</summary>
public class CspParsingTests
{
    [Fact]
    public void The_portal_default_csp_reads_as_its_seven_directives()
    {
        var result = ContentSecurityPolicy.Parse(SiteSpec.DefaultCsp);

        Assert.True(result.IsValid, string.Join(" ", result.Errors));
        Assert.Equal(
            ["default-src", "img-src", "object-src", "base-uri", "form-action", "frame-ancestors", "upgrade-insecure-requests"],
            result.Policy!.Directives.Select(d => d.Name));
        Assert.Equal(["'self'", "data:"], result.Policy.Find("img-src")!.Sources);
        Assert.Empty(result.Policy.Find("upgrade-insecure-requests")!.Sources);
        Assert.Equal(SiteSpec.DefaultCsp, result.Policy.ToHeaderValue());
    }

    [Fact]
    public void Names_keywords_schemes_and_hosts_are_lower_cased_but_paths_nonces_and_hashes_keep_their_case()
    {
        var result = ContentSecurityPolicy.Parse(
            "Default-Src 'SELF' HTTPS://CDN.Example.COM:443/Lib/App.js; Script-Src 'Nonce-AbC+/9=' 'SHA256-XyZ_-0==' 'Strict-Dynamic'; IMG-SRC Data: *.Example.com");

        Assert.True(result.IsValid, string.Join(" ", result.Errors));
        Assert.Equal(
            "default-src 'self' https://cdn.example.com:443/Lib/App.js; script-src 'nonce-AbC+/9=' 'sha256-XyZ_-0==' 'strict-dynamic'; img-src data: *.example.com",
            result.Policy!.ToHeaderValue());
    }

    [Fact]
    public void Extra_spaces_and_empty_directives_between_semicolons_are_dropped()
    {
        var result = ContentSecurityPolicy.Parse("  default-src   'self'  ;;  ; img-src 'self'  ;  ");

        Assert.Equal("default-src 'self'; img-src 'self'", result.Policy!.ToHeaderValue());
    }

    [Theory]
    [InlineData("default-src 'none'")]
    [InlineData("script-src 'self' 'unsafe-inline' 'unsafe-eval' 'unsafe-hashes' 'wasm-unsafe-eval' 'report-sample'")]
    [InlineData("default-src https: wss: blob: data: mediastream: filesystem:")]
    [InlineData("connect-src * https://*.example.com:* http://localhost:8080 example.com. api.example.com/v1/")]
    [InlineData("frame-ancestors 'self' https://partner.example.com")]
    [InlineData("sandbox")]
    [InlineData("sandbox allow-forms allow-scripts allow-same-origin")]
    [InlineData("report-uri /csp-report https://report.example.com/r?x=1; report-to csp-endpoint")]
    [InlineData("require-trusted-types-for 'script'; trusted-types default dompurify 'allow-duplicates'")]
    [InlineData("webrtc 'block'")]
    [InlineData("worker-src 'self'; manifest-src 'self'; media-src 'self'; font-src 'self'; child-src 'self'; frame-src 'self'")]
    [InlineData("style-src-elem 'self'; style-src-attr 'none'; script-src-elem 'self'; script-src-attr 'none'")]
    public void Csp_level_3_values_are_accepted(string csp)
    {
        var result = ContentSecurityPolicy.Parse(csp);

        Assert.True(result.IsValid, string.Join(" ", result.Errors));
        Assert.Equal(result.Policy, ContentSecurityPolicy.Parse(result.Policy!.ToHeaderValue()).Policy);
    }

    [Fact]
    public void Find_ignores_case_and_returns_null_for_an_absent_directive()
    {
        var policy = ContentSecurityPolicy.Parse("default-src 'self'").Policy!;

        Assert.Equal("default-src", policy.Find("DEFAULT-SRC")!.Name);
        Assert.Null(policy.Find("script-src"));
    }
}

using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>Bad input for every field, each with the exact message a person sees next to that field.</summary>
public sealed class SpecValidationTests
{
    public static TheoryData<string, SiteSpec, string, string> BadSites() => new()
    {
        { "empty host", TestSpecs.Site() with { Host = "" }, "host", "Host is required." },
        { "spaces", TestSpecs.Site() with { Host = " docs.example.com" }, "host", "Host must not start or end with spaces." },
        { "trailing dot", TestSpecs.Site() with { Host = "docs.example.com." }, "host", "Host must not end with a dot: use 'docs.example.com'." },
        { "overlong name", TestSpecs.Site() with { Host = string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + ".example.com" }, "host", "Host is 255 characters long; a DNS name has at most 253." },
        { "overlong label", TestSpecs.Site() with { Host = new string('a', 64) + ".example.com" }, "host", "Host has a label of 64 characters ('aaaaaaaaaaaaaaaaaaaa...'); a DNS label has at most 63." },
        { "unicode (IDN)", TestSpecs.Site() with { Host = "bücher.example.com" }, "host", "Host must be written in ASCII (IDNA A-labels): use 'xn--bcher-kva.example.com'." },
        { "upper case", TestSpecs.Site() with { Host = "Docs.example.com" }, "host", "Host must be lower case: use 'docs.example.com'." },
        { "IPv4 address", TestSpecs.Site() with { Host = "192.0.2.1" }, "host", "Host must be a host name, not an IP address." },
        { "IPv6 address", TestSpecs.Site() with { Host = "2001:db8::1" }, "host", "Host must be a host name, not an IP address." },
        { "wildcard", TestSpecs.Site() with { Host = "*.example.com" }, "host", "Host must not contain '*'." },
        { "underscore", TestSpecs.Site() with { Host = "my_site.example.com" }, "host", "Host may contain only letters, digits and hyphens; '_' is not allowed." },
        { "newline", TestSpecs.Site() with { Host = "docs\n.example.com" }, "host", "Host may contain only letters, digits and hyphens; 'U+000A' is not allowed." },
        { "empty label", TestSpecs.Site() with { Host = "docs..example.com" }, "host", "Host must not contain an empty label ('..')." },
        { "leading hyphen", TestSpecs.Site() with { Host = "-docs.example.com" }, "host", "Host has a label that starts or ends with a hyphen ('-docs')." },
        { "bad punycode", TestSpecs.Site() with { Host = "xn--a.example.com" }, "host", "Host has an invalid internationalized label ('xn--a')." },
        { "reserved hyphens", TestSpecs.Site() with { Host = "ab--cd.example.com" }, "host", "Host has a label with hyphens in the third and fourth positions ('ab--cd'), reserved for IDNA." },
        { "single label", TestSpecs.Site() with { Host = "localhost", HostedZoneName = "localhost" }, "host", "Host must have at least two labels, like 'example.com'." },
        { "numeric tld", TestSpecs.Site() with { Host = "docs.example.123", HostedZoneName = "example.123" }, "host", "Host must end in a top-level domain, not a number." },
        { "outside zone", TestSpecs.Site() with { Host = "docs.example.org" }, "host", "Host 'docs.example.org' is not inside the hosted zone 'example.com'." },
        { "lookalike zone", TestSpecs.Site() with { Host = "docs.badexample.com" }, "host", "Host 'docs.badexample.com' is not inside the hosted zone 'example.com'." },
        { "zone id lower case", TestSpecs.Site() with { HostedZoneId = "z0123" }, "hostedZoneId", "Hosted zone id 'z0123' is not a Route53 id: upper-case letters and digits starting with 'Z', like 'Z0123456789ABC'." },
        { "zone id empty", TestSpecs.Site() with { HostedZoneId = "" }, "hostedZoneId", "Hosted zone id is required." },
        { "zone name trailing dot", TestSpecs.Site() with { HostedZoneName = "example.com." }, "hostedZoneName", "Hosted zone name must not end with a dot: use 'example.com'." },
        { "no environment", TestSpecs.Site() with { Environments = [] }, "environments", "Choose at least one environment." },
        { "production only", TestSpecs.Site() with { Environments = [DeploymentEnvironment.Production] }, "environments", "Testing is required: production is only ever promoted from a tested deployment." },
        { "csp empty", TestSpecs.Site() with { Csp = "" }, "csp", "The Content-Security-Policy is empty; write at least one directive, e.g. default-src 'self'." },
        { "csp newline", TestSpecs.Site() with { Csp = "default-src 'self'\r\nSet-Cookie: a=b" }, "csp", "The Content-Security-Policy contains a line break (U+000D (carriage return)) at position 19; a header value must be on one line." },
        { "csp unicode", TestSpecs.Site() with { Csp = "default-src 'self' https://bücher.example" }, "csp", "The Content-Security-Policy contains the non-ASCII character 'ü' (U+00FC) at position 29; CSP is ASCII, so write host names in their A-label (punycode) form." },
        { "csp overlong", TestSpecs.Site() with { Csp = "default-src " + new string('a', 4096) }, "csp", "The Content-Security-Policy is 4108 characters long; at most 4096 are allowed." },
        { "csp unknown directive", TestSpecs.Site() with { Csp = "defualt-src 'self'" }, "csp", "The directive 'defualt-src' is not a CSP Level 3 directive; check its spelling (e.g. default-src, script-src, frame-ancestors)." },
        { "csp too long for CloudFront", TestSpecs.Site() with { Csp = "default-src 'self' " + string.Join(' ', Enumerable.Range(0, 120).Select(i => $"https://h{i:D3}.example.com")) }, "csp", "The Content-Security-Policy is 3018 characters long as served; CloudFront serves at most 1783." },
        { "referrer list", TestSpecs.Site() with { ReferrerPolicy = "no-referrer, strict-origin" }, "referrerPolicy", "Referrer-Policy 'no-referrer, strict-origin' is not a known policy; use one of: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url." },
        { "permissions NUL", TestSpecs.Site() with { PermissionsPolicy = "\0camera=()" }, "permissionsPolicy", "Permissions-Policy must be printable ASCII on one line; found U+0000." },
        { "referrer unknown", TestSpecs.Site() with { ReferrerPolicy = "always" }, "referrerPolicy", "Referrer-Policy 'always' is not a known policy; use one of: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url." },
        { "permissions newline", TestSpecs.Site() with { PermissionsPolicy = "camera=()\n" }, "permissionsPolicy", "Permissions-Policy must be printable ASCII on one line; found U+000A." },
        { "redirect is host", TestSpecs.Site() with { RedirectFrom = ["docs.example.com"] }, "redirectFrom[0]", "Redirect name 'docs.example.com' is the site's own host." },
        { "redirect is testing host", TestSpecs.Site() with { RedirectFrom = ["test.docs.example.com"] }, "redirectFrom[0]", "Redirect name 'test.docs.example.com' is the site's testing host." },
        { "redirect twice", TestSpecs.Site() with { RedirectFrom = ["www.docs.example.com", "www.docs.example.com"] }, "redirectFrom[1]", "Redirect name 'www.docs.example.com' is listed twice." },
        { "redirect outside zone", TestSpecs.Site() with { RedirectFrom = ["docs.example.net"] }, "redirectFrom[0]", "Redirect name 'docs.example.net' is not inside the hosted zone 'example.com'." },
        { "redirect wildcard", TestSpecs.Site() with { RedirectFrom = ["*.docs.example.com"] }, "redirectFrom[0]", "Redirect name must not contain '*'." },
        { "cache pattern quote", TestSpecs.Site() with { CacheRules = [new("/a\"b", "max-age=60")] }, "cacheRules[0].pathPattern", "Path pattern '/a\"b' may contain only letters, digits and _ - . * $ / ~ @ : +." },
        { "cache value newline", TestSpecs.Site() with { CacheRules = [new("*.css", "max-age=60\n")] }, "cacheRules[0].cacheControl", "Cache-Control must be printable ASCII on one line; found U+000A." },
        { "deploy repository without owner", TestSpecs.Site() with { DeployRole = new("docs-site", "main") }, "deployRole.repository", "Repository must be a GitHub repository as owner/name, e.g. acme/docs-site; got 'docs-site'." },
        { "deploy repository wildcard", TestSpecs.Site() with { DeployRole = new("acme/*", "main") }, "deployRole.repository", "Repository must be a GitHub repository as owner/name, e.g. acme/docs-site; got 'acme/*'." },
        { "deploy repository dot dot", TestSpecs.Site() with { DeployRole = new("acme/..", "main") }, "deployRole.repository", "Repository must be a GitHub repository as owner/name, e.g. acme/docs-site; got 'acme/..'." },
        { "deploy branch empty", TestSpecs.Site() with { DeployRole = new("acme/docs", "") }, "deployRole.branch", "Branch is required: the role trusts the workflow runs of exactly one branch." },
        { "deploy branch wildcard", TestSpecs.Site() with { DeployRole = new("acme/docs", "*") }, "deployRole.branch", "Branch '*' is not a branch name this role can trust: use letters, digits and . _ - / (at most 255), no '..' and no trailing '/' or '.'." },
        { "deploy branch climbing", TestSpecs.Site() with { DeployRole = new("acme/docs", "main/../x") }, "deployRole.branch", "Branch 'main/../x' is not a branch name this role can trust: use letters, digits and . _ - / (at most 255), no '..' and no trailing '/' or '.'." },
        { "deploy branch quote", TestSpecs.Site() with { DeployRole = new("acme/docs", "main\",\"x") }, "deployRole.branch", "Branch 'main\",\"x' is not a branch name this role can trust: use letters, digits and . _ - / (at most 255), no '..' and no trailing '/' or '.'." },
    };

    [Theory]
    [MemberData(nameof(BadSites))]
    public void Bad_site_field_gets_its_message(string name, SiteSpec spec, string field, string message)
    {
        var result = SpecValidator.Validate(spec);

        Assert.False(result.IsValid, name);
        Assert.Contains(message, result.MessagesFor(field));
    }

    public static TheoryData<string, MtaStsSpec, string, string> BadMtaSts() => new()
    {
        { "empty domain", TestSpecs.MtaSts() with { Domain = "" }, "domain", "Mail domain is required." },
        { "IDN domain", TestSpecs.MtaSts() with { Domain = "bücher.de" }, "domain", "Mail domain must be written in ASCII (IDNA A-labels): use 'xn--bcher-kva.de'." },
        { "trailing dot", TestSpecs.MtaSts() with { Domain = "example.com." }, "domain", "Mail domain must not end with a dot: use 'example.com'." },
        { "max_age negative", TestSpecs.MtaSts() with { MaxAge = -1 }, "maxAge", "max_age must be between 0 and 31557600 seconds (one year); got -1." },
        { "max_age too big", TestSpecs.MtaSts() with { MaxAge = 31557601 }, "maxAge", "max_age must be between 0 and 31557600 seconds (one year); got 31557601." },
        { "no mx in enforce", TestSpecs.MtaSts() with { Mx = [] }, "mx", "At least one mx pattern is required unless the mode is none." },
        { "wildcard inside", TestSpecs.MtaSts() with { Mx = ["mx.*.example.com"] }, "mx[0]", "MX pattern may use '*' only as the whole left-most label, like '*.mail.example.com'." },
        { "partial wildcard", TestSpecs.MtaSts() with { Mx = ["mx*.example.com"] }, "mx[0]", "MX pattern may use '*' only as the whole left-most label, like '*.mail.example.com'." },
        { "wildcard over tld", TestSpecs.MtaSts() with { Mx = ["*.com"] }, "mx[0]", "MX pattern a wildcard pattern needs at least two labels after '*.'." },
        { "ip address", TestSpecs.MtaSts() with { Mx = ["192.0.2.25"] }, "mx[0]", "MX pattern must be a host name, not an IP address." },
        { "bracketed ip", TestSpecs.MtaSts() with { Mx = ["[2001:db8::25]"] }, "mx[0]", "MX pattern must be a host name, not an IP address." },
        { "mx trailing dot", TestSpecs.MtaSts() with { Mx = ["mx1.example.com."] }, "mx[0]", "MX pattern must not end with a dot: use 'mx1.example.com'." },
        { "mx twice", TestSpecs.MtaSts() with { Mx = ["mx1.example.com", "mx1.example.com"] }, "mx[1]", "MX pattern 'mx1.example.com' is listed twice." },
        { "javascript rua", TestSpecs.MtaSts() with { TlsRptRua = ["javascript:alert(1)"] }, "tlsRptRua[0]", "'javascript:alert(1)' must start with mailto: or https: (RFC 8460)." },
        { "http rua", TestSpecs.MtaSts() with { TlsRptRua = ["http://reports.example.com/"] }, "tlsRptRua[0]", "'http://reports.example.com/' must start with mailto: or https: (RFC 8460)." },
        { "bad mailto", TestSpecs.MtaSts() with { TlsRptRua = ["mailto:not-an-address"] }, "tlsRptRua[0]", "'mailto:not-an-address' is not a valid mailto: address, like 'mailto:tlsrpt@example.com'." },
        { "rua with comma", TestSpecs.MtaSts() with { TlsRptRua = ["mailto:a@example.com,mailto:b@example.com"] }, "tlsRptRua[0]", "Report address must not contain spaces, commas, semicolons, '!' or quotes." },
        { "rua with semicolon", TestSpecs.MtaSts() with { TlsRptRua = ["mailto:a@example.com;v=x"] }, "tlsRptRua[0]", "Report address must not contain spaces, commas, semicolons, '!' or quotes." },
        { "rua unicode", TestSpecs.MtaSts() with { TlsRptRua = ["mailto:tls@bücher.de"] }, "tlsRptRua[0]", "Report address must be ASCII (use IDNA A-labels for the domain)." },
        { "rua https without host", TestSpecs.MtaSts() with { TlsRptRua = ["https:///path"] }, "tlsRptRua[0]", "'https:///path' is not a valid https: URL, like 'https://reports.example.com/tlsrpt'." },
        { "rua empty", TestSpecs.MtaSts() with { TlsRptRua = [""] }, "tlsRptRua[0]", "Report address is required." },
        { "zone id bad", TestSpecs.MtaSts() with { HostedZoneId = "Z-1" }, "hostedZoneId", "Hosted zone id 'Z-1' is not a Route53 id: upper-case letters and digits starting with 'Z', like 'Z0123456789ABC'." },
        { "domain outside zone", TestSpecs.MtaSts() with { HostedZoneName = "example.org" }, "domain", "Mail domain 'example.com' is not inside the hosted zone 'example.org'." },
    };

    [Theory]
    [MemberData(nameof(BadMtaSts))]
    public void Bad_mta_sts_field_gets_its_message(string name, MtaStsSpec spec, string field, string message)
    {
        var result = SpecValidator.Validate(spec);

        Assert.False(result.IsValid, name);
        Assert.Contains(message, result.MessagesFor(field));
    }

    [Fact]
    public void Good_requests_have_no_errors()
    {
        Assert.Empty(SpecValidator.Validate(TestSpecs.Site()).Errors);
        Assert.Empty(SpecValidator.Validate(TestSpecs.MtaSts()).Errors);
        Assert.Empty(SpecValidator.Validate(TestSpecs.Site("xn--bcher-kva.example.com") with { RedirectFrom = [] }).Errors);
        Assert.Empty(SpecValidator.Validate(TestSpecs.MtaSts() with { Mode = Portal.Core.Requests.MtaStsMode.None, Mx = [], HostedZoneId = null }).Errors);
    }

    [Fact]
    public void A_name_held_by_another_live_request_is_refused()
    {
        var result = SpecValidator.Validate(TestSpecs.Site(), new HashSet<string> { "docs.example.com" });

        Assert.Equal(["'docs.example.com' already belongs to another request."], result.MessagesFor("host"));
    }
}

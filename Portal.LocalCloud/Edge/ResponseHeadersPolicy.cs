using System.Globalization;
using System.Text.Json.Nodes;

namespace Portal.LocalCloud.Edge;

/// <summary>
/// A response headers policy (<c>ResponseHeadersPolicyConfig</c>) applied to a response as CloudFront applies it:
/// the headers of RemoveHeadersConfig go first, then each security header and custom header is added, replacing
/// one the response already has only when its <c>Override</c> is true.
/// </summary>
public static class ResponseHeadersPolicy
{
    public const string ResourceType = "AWS::CloudFront::ResponseHeadersPolicy";

    public static void Apply(JsonObject? config, IDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (config is null)
        {
            return;
        }

        foreach (var item in Items(config["RemoveHeadersConfig"]))
        {
            if (EdgeDistribution.Text(item["Header"]) is { } name)
            {
                headers.Remove(name);
            }
        }

        if (config["SecurityHeadersConfig"] is JsonObject security)
        {
            if (security["StrictTransportSecurity"] is JsonObject hsts)
            {
                var value = "max-age=" + (EdgeDistribution.Int(hsts["AccessControlMaxAgeSec"]) ?? 0).ToString(CultureInfo.InvariantCulture);
                if (EdgeDistribution.Bool(hsts["IncludeSubdomains"]) == true)
                {
                    value += "; includeSubDomains";
                }

                if (EdgeDistribution.Bool(hsts["Preload"]) == true)
                {
                    value += "; preload";
                }

                Set(headers, "Strict-Transport-Security", value, hsts);
            }

            if (security["ContentSecurityPolicy"] is JsonObject csp && EdgeDistribution.Text(csp["ContentSecurityPolicy"]) is { } policy)
            {
                Set(headers, "Content-Security-Policy", policy, csp);
            }

            if (security["ContentTypeOptions"] is JsonObject contentType)
            {
                Set(headers, "X-Content-Type-Options", "nosniff", contentType);
            }

            if (security["FrameOptions"] is JsonObject frame && EdgeDistribution.Text(frame["FrameOption"]) is { } option)
            {
                Set(headers, "X-Frame-Options", option, frame);
            }

            if (security["ReferrerPolicy"] is JsonObject referrer && EdgeDistribution.Text(referrer["ReferrerPolicy"]) is { } referrerPolicy)
            {
                Set(headers, "Referrer-Policy", referrerPolicy, referrer);
            }

            if (security["XSSProtection"] is JsonObject xss)
            {
                Set(headers, "X-XSS-Protection", XssValue(xss), xss);
            }
        }

        foreach (var item in Items(config["CustomHeadersConfig"]))
        {
            if (EdgeDistribution.Text(item["Header"]) is { } name && EdgeDistribution.Text(item["Value"]) is { } value)
            {
                Set(headers, name, value, item);
            }
        }
    }

    private static string XssValue(JsonObject xss)
    {
        if (EdgeDistribution.Bool(xss["Protection"]) != true)
        {
            return "0";
        }

        if (EdgeDistribution.Bool(xss["ModeBlock"]) == true)
        {
            return "1; mode=block";
        }

        return EdgeDistribution.Text(xss["ReportUri"]) is { Length: > 0 } report ? "1; report=" + report : "1";
    }

    private static void Set(IDictionary<string, string> headers, string name, string value, JsonObject setting)
    {
        if (EdgeDistribution.Bool(setting["Override"]) == true || !headers.ContainsKey(name))
        {
            headers.Remove(name);
            headers[name] = value;
        }
    }

    private static IEnumerable<JsonObject> Items(JsonNode? section) => (section?["Items"] as JsonArray ?? []).OfType<JsonObject>();
}

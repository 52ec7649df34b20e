using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.LocalCloud.Wire;

/// <summary>What a valid signature says about a request: who signed it, for which service and region.</summary>
public sealed record SignatureScope(string AccessKey, string Date, string Region, string Service);

/// <summary>
/// A checked request: its scope, or the problem; the payload as the service reads it (an <c>aws-chunked</c> body
/// decoded, each chunk's signature checked) and any trailing headers (checksums sent after the body).
/// </summary>
public sealed record SignatureCheck(SignatureScope? Scope, string? Problem, byte[] Payload, IReadOnlyDictionary<string, string> Trailers)
{
    public void Deconstruct(out SignatureScope? scope, out string? problem)
    {
        scope = Scope;
        problem = Problem;
    }
}

/// <summary>
/// Checks AWS Signature Version 4 the way AWS does, written here independently of the SDK that made it: rebuilds
/// the canonical request from what arrived on the wire, derives the signing key from the secret and compares.
/// </summary>
public static partial class SigV4Verifier
{
    private static readonly Dictionary<string, string> NoTrailers = new(StringComparer.Ordinal);

    public static SignatureCheck Verify(HttpRequest request, byte[] body, string accessKey, string secretKey)
    {
        SignatureCheck Fail(SignatureScope? failedScope, string problem) => new(failedScope, problem, body, NoTrailers);

        var authorization = request.Headers.Authorization.ToString();
        var match = AuthorizationPattern().Match(authorization);
        if (!match.Success)
        {
            return Fail(null, $"no SigV4 Authorization header (got '{authorization}')");
        }

        var scope = new SignatureScope(match.Groups["key"].Value, match.Groups["date"].Value, match.Groups["region"].Value, match.Groups["service"].Value);
        if (scope.AccessKey != accessKey)
        {
            return Fail(scope, $"signed with access key {scope.AccessKey}, expected {accessKey}");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length != 16 || !amzDate.StartsWith(scope.Date, StringComparison.Ordinal))
        {
            return Fail(scope, $"X-Amz-Date '{amzDate}' does not match the credential date {scope.Date}");
        }

        var signedHeaders = match.Groups["headers"].Value.Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date"))
        {
            return Fail(scope, "host and x-amz-date must be signed");
        }

        var payloadHash = request.Headers["X-Amz-Content-SHA256"].ToString();
        var actualHash = Convert.ToHexStringLower(SHA256.HashData(body));
        if (string.IsNullOrEmpty(payloadHash))
        {
            payloadHash = actualHash;
        }
        else if (payloadHash != "UNSIGNED-PAYLOAD" && !AwsChunkedBody.IsStreaming(payloadHash) && payloadHash != actualHash)
        {
            return Fail(scope, "X-Amz-Content-SHA256 does not match the body");
        }

        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToString();
        var rawPath = rawTarget.Split('?', 2)[0];
        var canonicalUri = scope.Service == "s3" ? CanonicalS3Path(rawPath) : CanonicalPath(rawPath);
        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(CanonicalQuery(request.QueryString.Value)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var value = name == "host" ? request.Host.ToString() : string.Join(",", request.Headers[name].Select(v => v ?? ""));
            canonical.Append(name).Append(':').Append(Spaces().Replace(value.Trim(), " ")).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(payloadHash);
        var credentialScope = $"{scope.Date}/{scope.Region}/{scope.Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{credentialScope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), scope.Date);
        key = Hmac(key, scope.Region);
        key = Hmac(key, scope.Service);
        key = Hmac(key, "aws4_request");
        var expected = Convert.ToHexStringLower(Hmac(key, stringToSign));
        if (expected != match.Groups["signature"].Value)
        {
            return Fail(scope, $"signature mismatch; canonical request was:\n{canonical}");
        }

        if (!AwsChunkedBody.IsStreaming(payloadHash))
        {
            return new(scope, null, body, NoTrailers);
        }

        if (request.Headers.ContentEncoding.ToString().Split(',').All(e => e.Trim() != "aws-chunked"))
        {
            return Fail(scope, $"X-Amz-Content-SHA256 is {payloadHash} but Content-Encoding does not include aws-chunked");
        }

        var decoded = AwsChunkedBody.Decode(body, payloadHash, new ChunkSigning(key, amzDate, credentialScope, expected));
        if (decoded.Problem is not null)
        {
            return Fail(scope, decoded.Problem);
        }

        var declared = request.Headers["X-Amz-Decoded-Content-Length"].ToString();
        if (declared != decoded.Payload.Length.ToString(CultureInfo.InvariantCulture))
        {
            return Fail(scope, $"X-Amz-Decoded-Content-Length is '{declared}' but the chunks hold {decoded.Payload.Length} bytes");
        }

        var announced = request.Headers["X-Amz-Trailer"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!announced.Order(StringComparer.Ordinal).SequenceEqual(decoded.Trailers.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return Fail(scope, $"X-Amz-Trailer announced [{string.Join(", ", announced)}] but the body carried [{string.Join(", ", decoded.Trailers.Keys)}]");
        }

        return new(scope, null, decoded.Payload, decoded.Trailers);
    }

    internal static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    /// <summary>Services other than S3 sign the path encoded once more than it travels.</summary>
    private static string CanonicalPath(string rawPath) =>
        rawPath.Length == 0 ? "/" : string.Join('/', rawPath.Split('/').Select(Encode));

    private static string CanonicalS3Path(string rawPath) =>
        rawPath.Length == 0 ? "/" : string.Join('/', rawPath.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));

    private static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return "";
        }

        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Key: Encode(Unescape(p[0])), Value: Encode(p.Length > 1 ? Unescape(p[1]) : "")))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace("+", "%20", StringComparison.Ordinal));

    /// <summary>RFC 3986: everything but unreserved characters as %XX, upper-case hex.</summary>
    private static string Encode(string s)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request, ?SignedHeaders=(?<headers>[^,]+), ?Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();
}

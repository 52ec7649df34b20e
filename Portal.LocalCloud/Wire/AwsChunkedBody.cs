using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.LocalCloud.Wire;

/// <summary>What a streaming upload is signed with: the derived key, the request's date and scope, and the seed signature of its headers.</summary>
public sealed record ChunkSigning(byte[] Key, string AmzDate, string CredentialScope, string SeedSignature);

/// <summary>
/// S3's <c>aws-chunked</c> content encoding as AWS reads it: <c>hex-size;chunk-signature=sig</c> CRLF data CRLF, a
/// zero-size chunk, then optional trailing headers (a checksum) with their own signature. Each chunk signature chains
/// from the previous one, starting from the request's seed signature; an unsigned variant carries no signatures.
/// </summary>
public static class AwsChunkedBody
{
    private const string SignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    private const string SignedPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    private const string UnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    private static readonly string EmptyHash = Convert.ToHexStringLower(SHA256.HashData([]));

    public static bool IsStreaming(string payloadHash) => payloadHash is SignedPayload or SignedPayloadTrailer or UnsignedPayloadTrailer;

    public static (byte[] Payload, IReadOnlyDictionary<string, string> Trailers, string? Problem) Decode(byte[] body, string mode, ChunkSigning signing)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(signing);
        var signed = mode != UnsignedPayloadTrailer;
        var trailers = new Dictionary<string, string>(StringComparer.Ordinal);
        using var payload = new MemoryStream();
        var previous = signing.SeedSignature;
        var position = 0;
        while (true)
        {
            var header = ReadLine(body, ref position);
            if (header is null)
            {
                return Fail("the chunked body ends before its final zero-size chunk");
            }

            var parts = header.Split(';', 2);
            if (!int.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                return Fail($"chunk header '{header}' has no hexadecimal size");
            }

            if (signed != (parts.Length == 2))
            {
                return Fail(signed ? $"chunk header '{header}' carries no chunk-signature" : $"chunk header '{header}' is signed in an unsigned upload");
            }

            if (position + size > body.Length)
            {
                return Fail($"a chunk announces {size} bytes but only {body.Length - position} remain");
            }

            var data = body.AsSpan(position, size);
            position += size;
            if (signed)
            {
                var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{signing.AmzDate}\n{signing.CredentialScope}\n{previous}\n{EmptyHash}\n{Convert.ToHexStringLower(SHA256.HashData(data))}";
                var expected = Convert.ToHexStringLower(SigV4Verifier.Hmac(signing.Key, stringToSign));
                if (parts[1] != "chunk-signature=" + expected)
                {
                    return Fail($"chunk signature mismatch at byte {payload.Length}");
                }

                previous = expected;
            }

            payload.Write(data);
            if (size == 0)
            {
                break;
            }

            if (ReadLine(body, ref position) is not "")
            {
                return Fail("a chunk's data is not followed by CRLF");
            }
        }

        // After the last chunk: CRLF alone, or trailing headers (the signed variant ends them with their signature) then CRLF.
        var trailerText = new StringBuilder();
        string? trailerSignature = null;
        while (true)
        {
            var line = ReadLine(body, ref position);
            if (line is null)
            {
                return Fail("the chunked body does not end with CRLF");
            }

            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return Fail($"trailing header '{line}' has no name");
            }

            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature")
            {
                trailerSignature = value;
                continue;
            }

            trailers[name] = value;
            trailerText.Append(name).Append(':').Append(value).Append('\n');
        }

        if (position != body.Length)
        {
            return Fail($"{body.Length - position} bytes follow the end of the chunked body");
        }

        if (mode == SignedPayloadTrailer)
        {
            var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{signing.AmzDate}\n{signing.CredentialScope}\n{previous}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(trailerText.ToString())))}";
            var expected = Convert.ToHexStringLower(SigV4Verifier.Hmac(signing.Key, stringToSign));
            if (trailerSignature != expected)
            {
                return Fail("trailer signature mismatch");
            }
        }
        else if (trailerSignature is not null || (mode == SignedPayload && trailers.Count > 0))
        {
            return Fail($"{mode} carries no trailing headers or trailer signature");
        }

        return (payload.ToArray(), trailers, null);

        (byte[], IReadOnlyDictionary<string, string>, string?) Fail(string problem) => ([], trailers, "aws-chunked body: " + problem);
    }

    /// <summary>The text up to the next CRLF (which is consumed), or null when there is none.</summary>
    private static string? ReadLine(byte[] body, ref int position)
    {
        for (var i = position; i + 1 < body.Length; i++)
        {
            if (body[i] == '\r' && body[i + 1] == '\n')
            {
                var line = Encoding.ASCII.GetString(body, position, i - position);
                position = i + 2;
                return line;
            }
        }

        return null;
    }
}

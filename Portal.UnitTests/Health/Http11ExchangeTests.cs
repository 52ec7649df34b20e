using System.Net;
using System.Text;
using Portal.Core.Health;
using Portal.Infrastructure.Health;

namespace Portal.Tests.Health;

/// <summary>
/// The HTTP/1.1 exchange the MTA-STS check makes over its own TLS session (RFC 9112): the request it writes, and
/// bodies framed by Content-Length, chunked coding or the close of the connection, cut at the limit.
/// </summary>
public sealed class Http11ExchangeTests
{
    private static readonly Uri Url = new("https://mta-sts.example.test/.well-known/mta-sts.txt");

    [Fact]
    public async Task The_request_is_a_GET_for_the_path_with_the_host_and_connection_close()
    {
        var stream = new ScriptedStream("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        await Http11Exchange.GetAsync(stream, Url, 1024, CancellationToken.None);

        Assert.StartsWith("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.example.test\r\n", stream.Written, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", stream.Written, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", stream.Written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_with_a_content_length_is_read_to_that_length()
    {
        var stream = new ScriptedStream("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nX-A:  spaced  \r\n\r\nhello", chunkSize: 3);

        var response = await Http11Exchange.GetAsync(stream, Url, 1024, CancellationToken.None);

        Assert.Equal((HttpStatusCode.OK, "text/plain; charset=utf-8", "hello", false), (response.Status!.Value, response.ContentType, response.BodyText, response.BodyTruncated));
        Assert.Equal("spaced", response.Header("x-a"));
    }

    [Fact]
    public async Task A_chunked_body_is_decoded_with_extensions_and_trailers()
    {
        var stream = new ScriptedStream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7;ext=1\r\nversion\r\nC\r\n: STSv1\nmode\r\n0\r\nTrailer: x\r\n\r\n", chunkSize: 4);

        var response = await Http11Exchange.GetAsync(stream, Url, 1024, CancellationToken.None);

        Assert.Equal(("version: STSv1\nmode", false), (response.BodyText, response.BodyTruncated));
    }

    [Fact]
    public async Task A_body_framed_by_the_close_is_read_to_the_end()
    {
        var response = await Http11Exchange.GetAsync(new ScriptedStream("HTTP/1.0 404 Not Found\r\n\r\nnot here"), Url, 1024, CancellationToken.None);

        Assert.Equal((HttpStatusCode.NotFound, HttpVersion.Version10, "not here"), (response.Status!.Value, response.HttpVersion, response.BodyText));
    }

    [Theory]
    [InlineData("Content-Length: 20\r\n\r\n01234567890123456789")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\n14\r\n01234567890123456789\r\n0\r\n\r\n")]
    [InlineData("\r\n01234567890123456789")]
    public async Task A_body_over_the_limit_is_cut_and_marked(string rest)
    {
        var response = await Http11Exchange.GetAsync(new ScriptedStream("HTTP/1.1 200 OK\r\n" + rest), Url, 10, CancellationToken.None);

        Assert.Equal(("0123456789", true), (response.BodyText, response.BodyTruncated));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "the server did not answer with an HTTP/1.1 status line ('SSH-2.0-OpenSSH_9.2').")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "the server closed the connection after 5 of 10 body bytes.")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "the response has a malformed chunk size ('zz').")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le", "the server closed the connection before the response headers were complete.")]
    public async Task A_broken_response_is_an_error_saying_what_broke(string response, string reason)
    {
        using var fetcher = new HttpFetcher(new DnsQueries(new DnsClient.LookupClient()), new OutboundConnector(Portal.Core.Networking.OutboundAddressPolicy.PublicOnly), Microsoft.Extensions.Options.Options.Create(new HealthOptions()));

        var observation = await fetcher.GetOverAsync(new ScriptedStream(response), Url, 1024, CancellationToken.None);

        Assert.Equal($"GET {Url} failed: {reason}", observation.Error);
        Assert.Null(observation.Status);
    }

    /// <summary>Answers reads with a fixed response, a few bytes at a time, and records what was written.</summary>
    private sealed class ScriptedStream(string response, int chunkSize = 1 << 16) : Stream
    {
        private readonly byte[] data = Encoding.Latin1.GetBytes(response);
        private readonly MemoryStream written = new();
        private int position;

        public string Written => Encoding.ASCII.GetString(written.ToArray());

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunkSize), data.Length - position);
            Array.Copy(data, position, buffer, offset, n);
            position += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => written.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

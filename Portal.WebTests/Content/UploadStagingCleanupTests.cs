using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Core.Content;
using Portal.Tests.Api;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Content;

/// <summary>
/// An upload over the API leaves nothing in the staging folder however it ends: a body without a length that runs past
/// the limit (cut off by the server with 413), or a client that goes away halfway through.
/// </summary>
public sealed class UploadStagingCleanupTests(ApiContentTests.PortalWithSite fixture) : IClassFixture<ApiContentTests.PortalWithSite>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private string StagingRoot => fixture.Api.Portal.Services.GetRequiredService<IOptions<ContentOptions>>().Value.StagingRoot;

    [Fact]
    public async Task A_chunked_body_past_the_limit_is_a_413_problem_and_leaves_the_staging_folder_empty()
    {
        var max = fixture.Api.Portal.Services.GetRequiredService<IOptions<ContentOptions>>().Value.MaxUploadBytes;
        using var client = fixture.Api.Client(await fixture.Api.CachedTokenAsync("alice@example.test"));
        using var content = new StreamContent(new TrickleStream(max * 4, gate: null));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");

        using var response = await client.PostAsync(new Uri($"/api/v1/sites/{fixture.SiteId}/content", UriKind.Relative), content);

        Assert.Null(content.Headers.ContentLength);
        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "archive-refused");
        await WaitUntilAsync(() => Entries().Count == 0, "the staging folder to be empty");
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_upload_leaves_the_staging_folder_empty()
    {
        using var client = fixture.Api.Client(await fixture.Api.CachedTokenAsync("alice@example.test"));
        using var abort = new CancellationTokenSource();
        using var content = new StreamContent(new TrickleStream(16 * 1024, gate: abort.Token));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");

        var upload = client.PostAsync(new Uri($"/api/v1/sites/{fixture.SiteId}/content", UriKind.Relative), content, abort.Token);
        await WaitUntilAsync(() => Entries().Any(e => Path.GetFileName(e).EndsWith(".zip", StringComparison.Ordinal)), "the upload to be spooled");
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);

        await WaitUntilAsync(() => Entries().Count == 0, "the staging folder to be empty");
    }

    private List<string> Entries() =>
        Directory.Exists(StagingRoot) ? Directory.EnumerateFileSystemEntries(StagingRoot, "*", SearchOption.AllDirectories).ToList() : [];

    /// <summary>The server reacts to the body on its own threads; this waits for the outcome, failing with what is left.</summary>
    private async Task WaitUntilAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited for {what}; the staging folder holds: {string.Join(", ", Entries())}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// A body of unknown length (so it is sent chunked): <c>bytes</c> zeros, then the end, or, with a gate, a wait
    /// that lasts until the gate is cancelled, as a client that stalls and then goes away.
    /// </summary>
    private sealed class TrickleStream(long bytes, CancellationToken? gate) : Stream
    {
        private long _left = bytes;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0)
            {
                if (gate is { } wait)
                {
                    using var both = CancellationTokenSource.CreateLinkedTokenSource(wait, cancellationToken);
                    await Task.Delay(Timeout.Infinite, both.Token);
                }

                return 0;
            }

            var n = (int)Math.Min(Math.Min(buffer.Length, 8192), _left);
            buffer.Span[..n].Clear();
            _left -= n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

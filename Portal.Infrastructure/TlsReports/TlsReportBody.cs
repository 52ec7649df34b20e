using System.IO.Compression;
using Portal.Core.TlsReports;

namespace Portal.Infrastructure.TlsReports;

/// <summary>The report's bytes, or why the body was refused (<see cref="TooLarge"/> for a body or report over its limit).</summary>
public sealed record TlsReportBodyResult(byte[]? Json, string? Problem, bool TooLarge = false);

/// <summary>
/// Reads a report body with two limits: the bytes on the wire, and the bytes after decompression. Both are counted
/// while streaming into a buffer that never grows beyond its limit, so a gzip bomb stops at the limit without filling
/// memory or disk.
/// </summary>
public static class TlsReportBody
{
    public static async Task<TlsReportBodyResult> ReadAsync(Stream body, TlsReportEncoding encoding, int maxBodyBytes, int maxReportBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var wire = new CountingStream(body, maxBodyBytes);
        try
        {
            if (encoding == TlsReportEncoding.Json)
            {
                return new TlsReportBodyResult(await ReadLimitedAsync(wire, Math.Min(maxBodyBytes, maxReportBytes), ct), null);
            }

            await using var gzip = new GZipStream(wire, CompressionMode.Decompress, leaveOpen: true);
            return new TlsReportBodyResult(await ReadLimitedAsync(gzip, maxReportBytes, ct), null);
        }
        catch (LimitExceededException e)
        {
            return new TlsReportBodyResult(null, e.Message, TooLarge: true);
        }
        catch (InvalidDataException)
        {
            return new TlsReportBodyResult(null, "The body is not valid gzip data (Content-Type application/tlsrpt+gzip).");
        }
        catch (BodyTooLargeException)
        {
            return new TlsReportBodyResult(null, $"The body is larger than {maxBodyBytes} bytes.", TooLarge: true);
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream source, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new LimitExceededException($"The report is larger than {limit} bytes once decompressed.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private sealed class LimitExceededException(string message) : Exception(message);

    private sealed class BodyTooLargeException : Exception;

    /// <summary>Passes reads through and throws once more than the limit has been read from the wire.</summary>
    private sealed class CountingStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw new BodyTooLargeException();
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

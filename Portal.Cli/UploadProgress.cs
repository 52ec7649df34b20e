using System.Globalization;

namespace Portal.Cli;

/// <summary>Upload progress on stderr, one line per tenth of the file (a log of a pipeline stays short).</summary>
public sealed class UploadProgress(TextWriter error, long total)
{
    private long _sent;
    private int _lastTenth = -1;

    public void Add(int bytes)
    {
        _sent += bytes;
        var tenth = total <= 0 ? 10 : (int)Math.Min(10, _sent * 10 / total);
        if (tenth != _lastTenth)
        {
            _lastTenth = tenth;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"uploading: {tenth * 10}% ({_sent} of {total} bytes)"));
        }
    }

    public void Done() => error.WriteLine("uploaded; the portal is checking and publishing the archive");
}

/// <summary>A read-only stream that reports what the HTTP client has read from it.</summary>
public sealed class ProgressStream(Stream inner, UploadProgress? progress) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        progress?.Add(read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        progress?.Add(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Portal.Tests.Content;

/// <summary>One entry of a test archive: its name exactly as stored, its bytes, and its external attributes (Unix mode in the high 16 bits).</summary>
public sealed record ZipItem(string Name, byte[] Content, int ExternalAttributes = 0)
{
    public static ZipItem Text(string name, string text) => new(name, Encoding.UTF8.GetBytes(text), UnixMode(0x81A4));

    public static int UnixMode(int mode) => mode << 16;
}

/// <summary>
/// Archives for the tests, honest and hostile, built with System.IO.Compression (which writes whatever name and
/// attributes it is given) and, where a writer would refuse, by changing the written bytes as an attacker would.
/// </summary>
public static class TestZips
{
    public static byte[] Of(params ZipItem[] items)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var item in items)
            {
                var entry = archive.CreateEntry(item.Name, CompressionLevel.Optimal);
                entry.ExternalAttributes = item.ExternalAttributes;
                if (!item.Name.EndsWith('/'))
                {
                    using var content = entry.Open();
                    content.Write(item.Content);
                }
            }
        }

        return stream.ToArray();
    }

    public static byte[] Site(params (string Path, string Text)[] files) => Of(files.Select(f => ZipItem.Text(f.Path, f.Text)).ToArray());

    /// <summary>A symbolic link entry as Info-ZIP stores one: Unix mode 0120777 and the target as content.</summary>
    public static ZipItem SymbolicLink(string name, string target) => new(name, Encoding.UTF8.GetBytes(target), ZipItem.UnixMode(0xA1FF));

    /// <summary>A character device entry (Unix mode 020666), as a tar-to-zip converter might carry over /dev/null.</summary>
    public static ZipItem CharacterDevice(string name) => new(name, [], ZipItem.UnixMode(0x21B6));

    /// <summary>A file of zeros: megabytes expand from a few kilobytes.</summary>
    public static ZipItem Zeros(string name, int bytes) => new(name, new byte[bytes], ZipItem.UnixMode(0x81A4));

    /// <summary>
    /// An archive whose first entry claims (in both its local and central headers) to be <paramref name="claimed"/>
    /// bytes long while its data expands to far more.
    /// </summary>
    public static byte[] WithFalseSize(byte[] zip, uint claimed)
    {
        var bytes = (byte[])zip.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(22), claimed);
        var central = FindSignature(bytes, 0x02014b50);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(central + 24), claimed);
        return bytes;
    }

    /// <summary>Marks every entry as encrypted (general purpose flag bit 0), as a password-protected archive has it.</summary>
    public static byte[] MarkedEncrypted(byte[] zip)
    {
        var bytes = (byte[])zip.Clone();
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50)
            {
                bytes[i + 6] |= 1;
            }
            else if (signature == 0x02014b50)
            {
                bytes[i + 8] |= 1;
            }
        }

        return bytes;
    }

    /// <summary>The compressed data of the first entry overwritten with noise: the directory is intact, the content is not.</summary>
    public static byte[] WithDamagedData(byte[] zip)
    {
        var bytes = (byte[])zip.Clone();
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(26));
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(28));
        var compressed = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(18));
        var start = 30 + nameLength + extraLength;
        var random = new Random(7);
        for (var i = start; i < start + compressed; i++)
        {
            bytes[i] = (byte)random.Next(256);
        }

        return bytes;
    }

    private static int FindSignature(byte[] bytes, uint signature)
    {
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) == signature)
            {
                return i;
            }
        }

        throw new InvalidOperationException("Signature not found.");
    }
}

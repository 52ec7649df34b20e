using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Portal.LocalCloud.S3;

/// <summary>The checksums S3 accepts with an upload (x-amz-checksum-*), base64 as they travel, computed here independently of the SDK.</summary>
public static class Checksums
{
    private static readonly uint[] Crc32Table = Table(0xEDB88320u);
    private static readonly uint[] Crc32CTable = Table(0x82F63B78u);

    public static string Base64(string algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        "SHA256" => Convert.ToBase64String(SHA256.HashData(data)),
#pragma warning disable CA5350 // S3's SHA-1 checksum option, verified as S3 verifies it.
        "SHA1" => Convert.ToBase64String(SHA1.HashData(data)),
#pragma warning restore CA5350
        "CRC32" => BigEndian(Crc(Crc32Table, data)),
        "CRC32C" => BigEndian(Crc(Crc32CTable, data)),
        _ => throw new ArgumentException($"Unknown checksum algorithm {algorithm}.", nameof(algorithm)),
    };

    private static string BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Convert.ToBase64String(bytes);
    }

    private static uint Crc(uint[] table, ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] Table(uint polynomial)
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}

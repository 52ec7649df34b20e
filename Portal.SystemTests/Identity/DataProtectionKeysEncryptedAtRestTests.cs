using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// With <c>DataProtection:CertificateFile</c> the key ring in the database is encrypted to a certificate: the stored rows
/// hold no key in the clear, replicas with the certificate share the ring, a portal on the same database without it
/// cannot use it, and a rotated certificate keeps older keys readable through <c>PreviousCertificateFiles</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DataProtectionKeysEncryptedAtRestTests(PostgresServer postgres) : IDisposable
{
    private const string Password = "pfx-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("portal-keycert-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Keys_are_stored_encrypted_and_only_portals_holding_the_certificate_can_use_them()
    {
        var connection = await postgres.CreateDatabaseAsync();
        var certificate = CertificateFile("current");
        await using var one = Portal(connection, certificate);
        var payload = Protector(one).Protect("secret");

        var stored = await StoredKeysAsync(one);
        var key = Assert.Single(stored);
        Assert.Contains("<encryptedSecret", key, StringComparison.Ordinal);
        Assert.Contains("EncryptedXmlDecryptor", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);

        await using var two = Portal(connection, certificate);
        Assert.Equal("secret", Protector(two).Unprotect(payload));

        await using var withoutCertificate = Portal(connection, certificateFile: null);
        Assert.ThrowsAny<CryptographicException>(() => Protector(withoutCertificate).Unprotect(payload));
    }

    [Fact]
    public async Task After_a_certificate_rotation_older_keys_still_decrypt_through_the_previous_certificate()
    {
        var connection = await postgres.CreateDatabaseAsync();
        var old = CertificateFile("old");
        var current = CertificateFile("new");
        string payload;
        await using (var before = Portal(connection, old))
        {
            payload = Protector(before).Protect("made before the rotation");
        }

        await using var rotated = Portal(connection, current, previous: old);
        Assert.Equal("made before the rotation", Protector(rotated).Unprotect(payload));

        await using var forgotPrevious = Portal(connection, current);
        Assert.ThrowsAny<CryptographicException>(() => Protector(forgotPrevious).Unprotect(payload));
    }

    [Fact]
    public async Task A_wrong_password_stops_the_start_naming_the_setting()
    {
        var certificate = CertificateFile("current");
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["DataProtection:CertificateFile"] = certificate,
            ["DataProtection:CertificatePassword"] = "not the password",
        });

        var error = Record.Exception(() => portal.CreateClient());

        Assert.NotNull(error);
        var messages = string.Join("\n", Chain(error).Select(e => e.Message));
        Assert.Contains($"DataProtection:CertificateFile '{certificate}' could not be read as a PKCS#12 file with the given password", messages, StringComparison.Ordinal);
    }

    private PortalFactory Portal(string connection, string? certificateFile, string? previous = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = connection,
            ["DataProtection:CertificateFile"] = certificateFile,
            ["DataProtection:CertificatePassword"] = certificateFile is null ? null : Password,
        };
        if (previous is not null)
        {
            settings["DataProtection:PreviousCertificateFiles:0"] = previous;
            settings["DataProtection:PreviousCertificatePassword"] = Password;
        }

        var portal = new PortalFactory(settings);
        _ = portal.Services;
        return portal;
    }

    private static IDataProtector Protector(PortalFactory portal) =>
        portal.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("encrypted-at-rest-test");

    private static async Task<List<string>> StoredKeysAsync(PortalFactory portal)
    {
        var db = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var ctx = await db.CreateDbContextAsync();
        return await ctx.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync();
    }

    private string CertificateFile(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=portal data protection {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var file = Path.Combine(_folder, name + ".pfx");
        File.WriteAllBytes(file, certificate.Export(X509ContentType.Pfx, Password));
        return file;
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}

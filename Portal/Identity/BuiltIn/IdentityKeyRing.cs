using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// Keys and secrets of the built-in provider, kept in the database (protected by Data Protection) so tokens stay
/// valid across restarts and every replica signs with the same key. The first replica to need one creates it; a
/// replica that loses the race reads the winner's.
/// </summary>
public sealed class IdentityKeyRing(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock)
{
    public const string SigningKey = "oidc-signing-rsa";
    public const string EncryptionKey = "oidc-encryption-rsa";
    public const string PortalClientSecret = "portal-client-secret";

    private readonly IDataProtector _protector = protection.CreateProtector("Portal.Identity.ProviderSecrets");
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    public RsaSecurityKey Rsa(string name)
    {
        var pkcs8 = Convert.FromBase64String(Get(name, () =>
        {
            using var rsa = RSA.Create(2048);
            return Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());
        }));
        var key = RSA.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return new RsaSecurityKey(key) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16] };
    }

    public string ClientSecret() => Get(PortalClientSecret, () => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));

    private string Get(string name, Func<string> create)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(name, out var known))
            {
                return known;
            }

            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
            var stored = db.ProviderSecrets.AsNoTracking().SingleOrDefault(s => s.Name == name);
            if (stored is null)
            {
                db.ProviderSecrets.Add(new ProviderSecret { Name = name, ProtectedValue = _protector.Protect(create()), CreatedAt = clock.GetUtcNow() });
                try
                {
                    db.SaveChanges();
                }
                catch (DbUpdateException)
                {
                    // Another replica stored it first: use theirs.
                    db.ChangeTracker.Clear();
                }

                stored = db.ProviderSecrets.AsNoTracking().Single(s => s.Name == name);
            }

            var value = _protector.Unprotect(stored.ProtectedValue);
            _cache[name] = value;
            return value;
        }
    }
}

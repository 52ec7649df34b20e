using Microsoft.AspNetCore.Identity;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// Makes a refused password step cost one password hash whatever the reason. Identity hashes the password only for a
/// known, unlocked account, so without this an unknown address or a locked account answers measurably sooner than a
/// wrong password, and the time tells which addresses have accounts.
/// </summary>
public sealed class PasswordCheckEqualizer
{
    private readonly PortalUser _nobody = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly string _hashOfNothing;

    /// <remarks>
    /// Identity's hasher is scoped and this is a singleton (one hash at start, not one per sign-in), so each use takes
    /// the hasher from a scope of its own: the same hasher, with the same settings, that checks real passwords.
    /// </remarks>
    public PasswordCheckEqualizer(IServiceScopeFactory scopes)
    {
        _scopes = scopes;
        using var scope = scopes.CreateScope();

        // A hash of a random password made with the same settings as real ones, so verifying against it costs the same.
        _hashOfNothing = scope.ServiceProvider.GetRequiredService<IPasswordHasher<PortalUser>>()
            .HashPassword(_nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
    }

    /// <summary>Spends the work of one password check that never succeeds.</summary>
    public void SpendOneCheck(string password)
    {
        using var scope = _scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<IPasswordHasher<PortalUser>>().VerifyHashedPassword(_nobody, _hashOfNothing, password);
    }
}

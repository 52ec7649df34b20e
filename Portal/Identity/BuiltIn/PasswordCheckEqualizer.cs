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
    private readonly IPasswordHasher<PortalUser> _hasher;
    private readonly string _hashOfNothing;

    public PasswordCheckEqualizer(IPasswordHasher<PortalUser> hasher)
    {
        _hasher = hasher;

        // A hash of a random password made with the same settings as real ones, so verifying against it costs the same.
        _hashOfNothing = hasher.HashPassword(_nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
    }

    /// <summary>Spends the work of one password check that never succeeds.</summary>
    public void SpendOneCheck(string password) => _hasher.VerifyHashedPassword(_nobody, _hashOfNothing, password);
}

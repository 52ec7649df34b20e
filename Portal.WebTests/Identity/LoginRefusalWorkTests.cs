using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// Every refused password step does the work of one password check (an unknown address, a wrong password, a locked
/// account alike), so the time of the answer does not tell which addresses have accounts. Counted, not timed.
/// </summary>
public sealed class LoginRefusalWorkTests
{
    private const string Password = "the right password";

    [Fact]
    public async Task Unknown_address_wrong_password_and_locked_account_each_cost_one_password_check()
    {
        var hasher = new CountingHasher();
        await using var portal = new LivePortal(
            new Dictionary<string, string?> { ["Identity:MaxFailedAttempts"] = "2" },
            testServices: services => services.AddSingleton<IPasswordHasher<PortalUser>>(hasher));
        await portal.CreateUserAsync("wrong@example.test", "Wrong", PortalRole.Requester, Password);
        await portal.CreateUserAsync("locked@example.test", "Locked", PortalRole.Requester, Password);
        using var form = new SignInForm(portal);
        await form.PostAsync("/account/login", ("Email", "locked@example.test"), ("Password", "wrong 1"));
        await form.PostAsync("/account/login", ("Email", "locked@example.test"), ("Password", "wrong 2"));

        var checks = new Dictionary<string, int>
        {
            ["unknown address"] = await ChecksAsync(hasher, form, "nobody@example.test", Password),
            ["wrong password"] = await ChecksAsync(hasher, form, "wrong@example.test", "not the password"),
            ["locked account"] = await ChecksAsync(hasher, form, "locked@example.test", Password),
        };

        Assert.All(checks, c => Assert.True(c.Value == 1, $"{c.Key}: {c.Value} password checks"));
    }

    private static async Task<int> ChecksAsync(CountingHasher hasher, SignInForm form, string email, string password)
    {
        var before = hasher.Verifications;
        await form.PostAsync("/account/login", ("Email", email), ("Password", password));
        return hasher.Verifications - before;
    }

    private sealed class CountingHasher : IPasswordHasher<PortalUser>
    {
        private readonly PasswordHasher<PortalUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(PortalUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

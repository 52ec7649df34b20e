using Portal.Identity.Settings;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Portal.Core.Workflow;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// <c>--demo</c> (or <c>Identity:Demo=true</c>): a demo requester and a demo approver for a first try, with fresh
/// passwords printed at start while they have not yet enrolled an authenticator (a user who has keeps the password it
/// was printed with; the start says how to begin again). Refused in Production.
/// </summary>
internal sealed partial class DemoUsers(
    IServiceScopeFactory scopes, IOptions<BuiltInIdentityOptions> options, IHostEnvironment environment, PortalOrigin origin, ILogger<DemoUsers> logger)
    : IHostedLifecycleService
{
    public static readonly (string Email, string Name, PortalRole Role)[] People =
    [
        ("requester@demo.invalid", "Demo Requester", PortalRole.Requester),
        ("approver@demo.invalid", "Demo Approver", PortalRole.Approver),
    ];

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Demo)
        {
            return;
        }

        if (environment.IsProduction())
        {
            LogRefused(logger);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var lines = new List<string> { $"Demo users: open {origin.Primary} and sign in as" };
        var enrolled = false;
        foreach (var (email, name, role) in People)
        {
            var password = RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 16);
            var result = await admin.CreateWithPasswordAsync(email, name, role, password);
            lines.Add(result switch
            {
                { Succeeded: true } => $"  {role,-9} {email}  password {password}",
                { User.MfaEnrolled: true } => $"  {role,-9} {email}  has enrolled an authenticator, so the password printed when it was last reset stays",
                _ => $"  {role,-9} {email}  not available: {result.Error}",
            });
            enrolled |= result.User?.MfaEnrolled == true;
        }

        lines.Add("The first sign-in asks each to enrol an authenticator app (TOTP): scan the QR code or type the key.");
        if (enrolled)
        {
            // A password is only ever printed, never chosen: say how to get a fresh one instead of pointing at a log long gone.
            lines.Add("Lost a password or the authenticator? Start that user over with");
            lines.Add("  dotnet run --project Portal -- users reset-mfa --email <email>");
            lines.Add("and start the portal again: a user without an authenticator gets a fresh password here.");
        }
        LogDemo(logger, string.Join(Environment.NewLine, lines));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Text}")]
    private static partial void LogDemo(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Error, Message = "Identity:Demo is ignored in the Production environment: demo users with printed passwords do not belong there.")]
    private static partial void LogRefused(ILogger logger);
}

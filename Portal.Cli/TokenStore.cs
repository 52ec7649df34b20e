using System.Text.Json;

namespace Portal.Cli;

/// <summary>
/// A token the command line holds: for which portal, until when, and whose (a person or a service account). A person's
/// sign-in also holds the refresh token that renews it (a new one at every use); a service account's never does.
/// </summary>
public sealed record StoredToken(Uri Portal, string AccessToken, DateTimeOffset ExpiresAt, string Kind, string? ClientId, string? RefreshToken = null)
{
    public const string PersonKind = "person";
    public const string ServiceAccountKind = "service-account";
}

/// <summary>
/// Keeps the last sign-in in <c>token.json</c> in the configuration folder, readable by its owner only. A service
/// account's secret is never written: only the short-lived token it obtained.
/// </summary>
public sealed class TokenStore(CliEnvironment environment)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string FilePath => Path.Combine(environment.ConfigDirectory, "token.json");

    public StoredToken? Read()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StoredToken>(File.ReadAllText(FilePath), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Write(StoredToken token)
    {
        Directory.CreateDirectory(environment.ConfigDirectory);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(FilePath, options);
        JsonSerializer.Serialize(stream, token, Json);
    }

    public bool Delete()
    {
        if (!File.Exists(FilePath))
        {
            return false;
        }

        File.Delete(FilePath);
        return true;
    }
}

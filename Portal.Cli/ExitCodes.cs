namespace Portal.Cli;

/// <summary>The exit codes of portal-cli, as the README documents them; scripts branch on these.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The portal could not be reached, or it failed (a 5xx answer).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong: unknown command, missing or bad option, unreadable file.</summary>
    public const int Usage = 2;

    /// <summary>No usable token: not signed in, the sign-in expired or was denied, wrong client secret (401).</summary>
    public const int NotSignedIn = 3;

    /// <summary>Signed in, but not allowed: role, ownership, separation of duties, a service account deciding (403).</summary>
    public const int Forbidden = 4;

    /// <summary>No such request or site (404).</summary>
    public const int NotFound = 5;

    /// <summary>The portal refused the input or the request's state: validation, conflict, archive refused (400, 409, 413, 422).</summary>
    public const int Refused = 6;

    public static int ForStatus(int status) => status switch
    {
        401 => NotSignedIn,
        403 => Forbidden,
        404 => NotFound,
        400 or 409 or 413 or 415 or 422 => Refused,
        _ => Failure,
    };
}

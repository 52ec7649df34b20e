using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portal.Cli;

/// <summary>
/// The commands of portal-cli over the portal's API: <c>login</c>, <c>logout</c>, <c>requests list|show|create|submit|withdraw|approve|reject</c>
/// and <c>content upload</c>, each with <c>--url</c> and <c>--output text|json</c>. Exit codes are <see cref="ExitCodes"/>.
/// </summary>
public static class PortalCliApp
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var root = Build(environment);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await environment.Error.WriteLineAsync($"error: {error.Message}");
            }

            await environment.Error.WriteLineAsync("Run portal-cli --help for the commands and their options.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error }, ct);
    }

    internal static RootCommand Build(CliEnvironment environment)
    {
        var url = new Option<string?>("--url") { Description = $"The portal's address (default: ${CliEnvironment.UrlVariable}, else the one signed in to last)", Recursive = true };
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json", Recursive = true, DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");

        var root = new RootCommand("portal-cli: requests and content of the Static Site and MTA-STS Portal, over its API.");
        root.Options.Add(url);
        root.Options.Add(output);

        var signIn = new SignIn(environment);
        var context = new Context(environment, signIn, url, output);
        root.Subcommands.Add(Login(context));
        root.Subcommands.Add(Logout(context));
        root.Subcommands.Add(Requests(context));
        root.Subcommands.Add(Content(context));
        return root;
    }

    private sealed record Context(CliEnvironment Environment, SignIn SignIn, Option<string?> Url, Option<string> Output)
    {
        public bool Json(ParseResult parse) => parse.GetValue(Output) == "json";

        /// <summary>Runs a command against the API; a <see cref="CliStopException"/> becomes its message on stderr and its exit code.</summary>
        public Func<ParseResult, CancellationToken, Task<int>> Api(Func<ParseResult, PortalConnection, CancellationToken, Task<int>> body) => (parse, ct) =>
            Guard(parse, async () =>
            {
                using var connection = await SignIn.ConnectAsync(parse.GetValue(Url), ct);
                return await body(parse, connection, ct);
            });

        public async Task<int> Guard(ParseResult parse, Func<Task<int>> body)
        {
            try
            {
                return await body();
            }
            catch (CliStopException stop)
            {
                if (Json(parse) && stop.Problem is { } problem)
                {
                    await Environment.Out.WriteLineAsync(JsonSerializer.Serialize(problem, Indented));
                }

                await Environment.Error.WriteLineAsync($"error: {stop.Message}");
                return stop.ExitCode;
            }
        }

        public async Task WriteJsonAsync(JsonElement json) => await Environment.Out.WriteLineAsync(JsonSerializer.Serialize(json, Indented));
    }

    private static Command Login(Context c)
    {
        var clientId = new Option<string?>("--client-id") { Description = $"A service account's client id (default: ${CliEnvironment.ClientIdVariable})" };
        var clientSecret = new Option<string?>("--client-secret") { Description = $"Its secret (default: ${CliEnvironment.ClientSecretVariable}; prefer the variable, options show in process lists)" };
        var command = new Command("login", "Sign in: a person through the browser (device code, with MFA), or a service account with its client id and secret.");
        command.Options.Add(clientId);
        command.Options.Add(clientSecret);
        command.SetAction((parse, ct) => c.Guard(parse, async () =>
        {
            using var connection = new PortalConnection(c.SignIn.PortalUrl(parse.GetValue(c.Url)), c.Environment);
            var id = parse.GetValue(clientId) ?? c.Environment.Variable(CliEnvironment.ClientIdVariable);
            var secret = parse.GetValue(clientSecret) ?? c.Environment.Variable(CliEnvironment.ClientSecretVariable);
            if (!string.IsNullOrEmpty(id) != !string.IsNullOrEmpty(secret))
            {
                throw new CliStopException(ExitCodes.Usage, "A service account needs both a client id and a client secret.");
            }

            var token = string.IsNullOrEmpty(id)
                ? await c.SignIn.DeviceCodeAsync(connection, ct)
                : await c.SignIn.ClientCredentialsAsync(connection, id, secret!, ct);
            c.SignIn.Store(token);
            connection.AccessToken = token.AccessToken;
            var me = await connection.SendJsonAsync(HttpMethod.Get, "/api/me", null, ct);
            if (c.Json(parse))
            {
                await c.WriteJsonAsync(me);
            }
            else
            {
                var roles = string.Join(", ", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
                await c.Environment.Out.WriteLineAsync(token.RefreshToken is null
                    ? $"Signed in to {connection.Portal} as {me.GetProperty("displayName").GetString()} ({roles}) until {token.ExpiresAt:yyyy-MM-dd HH:mm} UTC."
                    : $"Signed in to {connection.Portal} as {me.GetProperty("displayName").GetString()} ({roles}); the sign-in renews itself while you use it, within the portal's limits.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Logout(Context c)
    {
        var command = new Command("logout", "Forget the stored sign-in.");
        command.SetAction(async parse =>
        {
            var forgot = c.SignIn.Forget();
            await c.Environment.Out.WriteLineAsync(forgot ? "Signed out." : "Nobody was signed in.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Requests(Context c)
    {
        var requests = new Command("requests", "List, show, create, submit, withdraw, approve or reject requests.");

        var state = new Option<string?>("--state") { Description = "Only these states, comma-separated (e.g. submitted,testing-ready)" };
        var kind = new Option<string?>("--kind") { Description = "site or mta-sts" };
        kind.AcceptOnlyFromAmong("site", "mta-sts");
        var mine = new Option<bool>("--mine") { Description = "Only requests you (or this service account) made" };
        var search = new Option<string?>("--search") { Description = "Text in the name" };
        var page = new Option<int?>("--page") { Description = "Page, from 0" };
        var list = new Command("list", "Requests, newest change first.") { state, kind, mine, search, page };
        list.SetAction(c.Api(async (parse, api, ct) =>
        {
            var query = new List<string>();
            Add(query, "state", parse.GetValue(state));
            Add(query, "kind", parse.GetValue(kind));
            Add(query, "owner", parse.GetValue(mine) ? "me" : null);
            Add(query, "search", parse.GetValue(search));
            Add(query, "page", parse.GetValue(page)?.ToString(CultureInfo.InvariantCulture));
            var result = await api.SendJsonAsync(HttpMethod.Get, "/api/v1/requests" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null, ct);
            if (c.Json(parse))
            {
                await c.WriteJsonAsync(result);
                return ExitCodes.Success;
            }

            foreach (var item in result.GetProperty("items").EnumerateArray())
            {
                await c.Environment.Out.WriteLineAsync(string.Join('\t',
                    item.GetProperty("id").GetString(), item.GetProperty("kind").GetString(), item.GetProperty("state").GetString(), item.GetProperty("name").GetString()));
            }

            await c.Environment.Error.WriteLineAsync($"{result.GetProperty("items").GetArrayLength()} of {result.GetProperty("totalCount").GetInt32()} (page {result.GetProperty("page").GetInt32()})");
            return ExitCodes.Success;
        }));
        requests.Subcommands.Add(list);

        var showId = IdArgument();
        var show = new Command("show", "One request: state, version and the actions open to you.") { showId };
        show.SetAction(c.Api(async (parse, api, ct) => await WriteRequestAsync(c, parse, await api.SendJsonAsync(HttpMethod.Get, $"/api/v1/requests/{parse.GetValue(showId)}", null, ct))));
        requests.Subcommands.Add(show);

        var file = new Option<FileInfo>("--file", "-f") { Description = "The request as JSON (the same shape as the portal's render command reads)", Required = true };
        var submit = new Option<bool>("--submit") { Description = "Submit at once instead of saving a draft" };
        var create = new Command("create", "A new request from a JSON file, saved as a draft or submitted.") { file, submit };
        create.SetAction(c.Api(async (parse, api, ct) =>
        {
            var spec = ReadFile(parse.GetValue(file)!);
            using var body = new StringContent(spec, Encoding.UTF8, "application/json");
            var created = await api.SendJsonAsync(HttpMethod.Post, "/api/v1/requests" + (parse.GetValue(submit) ? "?submit=true" : ""), body, ct);
            return await WriteRequestAsync(c, parse, created);
        }));
        requests.Subcommands.Add(create);

        requests.Subcommands.Add(Action(c, "submit", "submit", "Submit a draft for deployment to testing.", reasonRequired: false));
        requests.Subcommands.Add(Action(c, "withdraw", "withdraw", "Withdraw a draft or a submitted request, with a reason.", reasonRequired: true));
        requests.Subcommands.Add(Action(c, "approve", "promote", "Approve for production (an approver who signed in recently; never a service account).", reasonRequired: false));
        requests.Subcommands.Add(Action(c, "reject", "reject", "Reject, with a reason (an approver; never a service account).", reasonRequired: true));
        return requests;
    }

    private static Command Action(Context c, string name, string action, string description, bool reasonRequired)
    {
        var id = IdArgument();
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit trail)", Required = reasonRequired };
        var command = new Command(name, description) { id, reason };
        command.SetAction(c.Api(async (parse, api, ct) =>
        {
            using var body = new StringContent(JsonSerializer.Serialize(new { reason = parse.GetValue(reason) }), Encoding.UTF8, "application/json");
            var result = await api.SendJsonAsync(HttpMethod.Post, $"/api/v1/requests/{parse.GetValue(id)}/actions/{action}", body, ct);
            return await WriteRequestAsync(c, parse, result);
        }));
        return command;
    }

    private static Command Content(Context c)
    {
        var content = new Command("content", "A site's content.");
        var id = IdArgument();
        var file = new Option<FileInfo>("--file", "-f") { Description = "The site as a zip archive (index.html at its root)", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on stderr" };
        var upload = new Command("upload", "Upload a zip to the site's testing environment; it becomes the next content version.") { id, file, quiet };
        upload.SetAction(c.Api(async (parse, api, ct) =>
        {
            var info = parse.GetValue(file)!;
            if (!info.Exists)
            {
                throw new CliStopException(ExitCodes.Usage, $"There is no file {info.FullName}.");
            }

            await using var stream = info.OpenRead();
            var progress = parse.GetValue(quiet) ? null : new UploadProgress(c.Environment.Error, info.Length);
            using var body = new StreamContent(new ProgressStream(stream, progress));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            body.Headers.ContentLength = info.Length;
            var result = await api.SendJsonAsync(HttpMethod.Post, $"/api/v1/sites/{parse.GetValue(id)}/content", body, ct);
            progress?.Done();
            if (c.Json(parse))
            {
                await c.WriteJsonAsync(result);
                return ExitCodes.Success;
            }

            var version = result.GetProperty("version");
            await c.Environment.Out.WriteLineAsync(
                $"Content version {version.GetProperty("number").GetInt32()}: {version.GetProperty("fileCount").GetInt32()} files, {version.GetProperty("totalBytes").GetInt64()} bytes.");
            if (result.TryGetProperty("warning", out var warning) && warning.GetString() is { Length: > 0 } w)
            {
                await c.Environment.Error.WriteLineAsync($"warning: {w}");
            }

            return ExitCodes.Success;
        }));
        content.Subcommands.Add(upload);
        return content;
    }

    private static Argument<Guid> IdArgument() => new("id") { Description = "The request's id" };

    private static async Task<int> WriteRequestAsync(Context c, ParseResult parse, JsonElement request)
    {
        if (c.Json(parse))
        {
            await c.WriteJsonAsync(request);
            return ExitCodes.Success;
        }

        var actions = string.Join(", ", request.GetProperty("availableActions").EnumerateArray().Select(a => a.GetString()));
        await c.Environment.Out.WriteLineAsync($"""
            {request.GetProperty("id").GetString()}
              {request.GetProperty("kind").GetString()} {request.GetProperty("name").GetString()}
              state:   {request.GetProperty("state").GetString()} (version {request.GetProperty("version").GetInt32()})
              owner:   {request.GetProperty("ownerName").GetString()}
              actions: {(actions.Length == 0 ? "none for you now" : actions)}
            """);
        return ExitCodes.Success;
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }

    private static string ReadFile(FileInfo file)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliStopException(ExitCodes.Usage, $"Cannot read {file.FullName}: {ex.Message}");
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace Portal.LocalCloud.Edge;

/// <summary>What a viewer-request function decided: go on with a (possibly changed) request, answer itself, or fail.</summary>
public sealed record FunctionOutcome(JsonObject? Request, JsonObject? Response, string? Error)
{
    public bool Failed => Error is not null;
}

/// <summary>
/// Runs CloudFront Functions code (<c>cloudfront-js-1.0</c> and <c>cloudfront-js-2.0</c>) on Jint, a JavaScript
/// interpreter written in .NET: the portal's container image has no node, and an interpreter inside the process can
/// be held to the function's limits (a time budget, no recursion beyond a depth, no string compilation) with no
/// process to spawn per request. Jint implements more of ECMAScript than CloudFront's runtime 2.0 does (ES 5.1 plus
/// const/let, template literals, arrow functions, async/await, ** and a few ES 6-12 built-ins), so a function using
/// something CloudFront lacks still runs here; what CloudFront restricts is absent here too: <c>eval</c> and
/// <c>Function(...)</c> throw, there are no timers, no network and no access to .NET. CloudFront's own modules
/// (<c>require('crypto')</c>, <c>'querystring'</c>, <c>'cloudfront'</c> key value stores) and <c>Buffer</c> are not
/// provided; the portal's functions use none of them.
/// </summary>
/// <remarks>
/// CloudFront's limit is compute utilization (about one millisecond of its own engine); an interpreter's wall time
/// is not comparable, so the budget here only stops a function that loops or recurses away, as CloudFront's limit
/// does, and the outcome is the same: the viewer gets CloudFront's 503.
/// </remarks>
public sealed class CloudFrontFunctionRuntime(TimeSpan budget)
{
    public static readonly IReadOnlySet<string> Runtimes = new HashSet<string>(StringComparer.Ordinal) { "cloudfront-js-1.0", "cloudfront-js-2.0" };

    private const int MaxRecursion = 256;

    private readonly ConcurrentDictionary<string, Prepared<Acornima.Ast.Script>> _scripts = new(StringComparer.Ordinal);

    public TimeSpan Budget { get; } = budget;

    /// <summary>Runs <c>handler(event)</c> of <paramref name="code"/>.</summary>
    public FunctionOutcome Run(string code, string runtime, JsonObject viewerEvent)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(viewerEvent);
        if (!Runtimes.Contains(runtime))
        {
            return new FunctionOutcome(null, null, $"Unknown runtime {runtime}.");
        }

        try
        {
            var script = _scripts.GetOrAdd(code, c => Engine.PrepareScript(c, "function.js"));
            var engine = new Engine(options => options
                .TimeoutInterval(Budget)
                .LimitRecursion(MaxRecursion)
                .DisableStringCompilation()
                .Strict(false));
            engine.Execute(script);
            var handler = engine.GetValue("handler");
            if (handler is not Jint.Native.Function.Function)
            {
                return new FunctionOutcome(null, null, "The function code defines no handler(event).");
            }

            var argument = new JsonParser(engine).Parse(viewerEvent.ToJsonString());
            var result = engine.Invoke(handler, argument).UnwrapIfPromise();
            if (result is not JsObject)
            {
                return new FunctionOutcome(null, null, "handler(event) returned neither a request nor a response.");
            }

            var json = new JsonSerializer(engine).Serialize(result, JsValue.Undefined, JsValue.Undefined);
            var returned = JsonNode.Parse(json.AsString())!.AsObject();
            return returned.ContainsKey("statusCode") ? Response(returned) : Request(returned);
        }
        catch (JavaScriptException ex)
        {
            return new FunctionOutcome(null, null, "The function threw: " + ex.Message);
        }
        catch (TimeoutException)
        {
            return new FunctionOutcome(null, null, "The function exceeded its execution time budget.");
        }
        catch (PromiseRejectedException ex)
        {
            return new FunctionOutcome(null, null, "The function's promise was rejected: " + ex.Message);
        }
        catch (JintException ex)
        {
            return new FunctionOutcome(null, null, "The function exceeded a limit: " + ex.Message);
        }
        catch (Acornima.ParseErrorException ex)
        {
            return new FunctionOutcome(null, null, "The function code does not parse: " + ex.Message);
        }
    }

    private static FunctionOutcome Response(JsonObject response) =>
        EdgeDistribution.Int(response["statusCode"]) is >= 100 and <= 599
            ? new FunctionOutcome(null, response, null)
            : new FunctionOutcome(null, null, "The response's statusCode is not an HTTP status.");

    private static FunctionOutcome Request(JsonObject request) =>
        EdgeDistribution.Text(request["uri"]) is { } uri && uri.StartsWith('/')
            ? new FunctionOutcome(request, null, null)
            : new FunctionOutcome(null, null, "The request's uri does not start with '/'.");
}

using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Portal.Core.ApiReference;

namespace Portal.Api;

/// <summary>
/// The API's OpenAPI document (the one served at <c>/api/v1/openapi.json</c>), read once for the reference page: the
/// endpoints do not change while the portal runs.
/// </summary>
public sealed class ApiReferenceSource(IServiceScopeFactory scopes)
{
    public const string DocumentName = "v1";

    private ApiReferenceDocument? _document;

    /// <summary>Two first readers may both build it; they build the same thing, so no lock is needed.</summary>
    public async Task<ApiReferenceDocument> GetAsync(CancellationToken ct = default)
    {
        if (_document is { } ready)
        {
            return ready;
        }

        await using var scope = scopes.CreateAsyncScope();
        var provider = scope.ServiceProvider.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(ct);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        var parsed = ApiReferenceDocument.Parse(text.ToString());
        _document = parsed;
        return parsed;
    }
}

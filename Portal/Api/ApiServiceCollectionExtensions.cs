using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>Problem details for every API error, enum values written as in the request JSON, and the OpenAPI document.</summary>
    public static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<ApiReferenceSource>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)));
        services.AddOpenApi(o =>
        {
            // The document is for scripts: the sign-in, download and provider endpoints are the pages' business.
            o.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Static Site and MTA-STS Portal API";
                document.Info.Version = "v1";
                document.Info.Description = "Bearer tokens from the portal's identity provider, with MFA and a portal role. Errors are RFC 9457 problem details.";
                return Task.CompletedTask;
            });
        });
        return services;
    }
}

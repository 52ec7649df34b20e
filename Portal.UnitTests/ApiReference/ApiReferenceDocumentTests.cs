using Portal.Core.ApiReference;

namespace Portal.Tests.ApiReference;

/// <summary>The OpenAPI document read for the reference page: operations by tag, parameters, bodies, responses and schemas in words.</summary>
public sealed class ApiReferenceDocumentTests
{
    private const string Document = """
        {
          "openapi": "3.1.1",
          "info": { "title": "Portal API", "version": "v1", "description": "Bearer tokens." },
          "paths": {
            "/api/v1/requests/{id}": {
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } } ],
              "get": {
                "tags": [ "v1" ], "operationId": "GetRequest",
                "parameters": [ { "name": "pageSize", "in": "query", "schema": { "type": [ "integer", "null" ], "format": "int32" } } ],
                "responses": {
                  "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ApiRequest" } } } },
                  "404": { "description": "Not Found", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/ProblemDetails" } } } }
                }
              },
              "post": {
                "tags": [ "Content" ],
                "requestBody": { "content": { "application/zip": { "schema": { "type": "string", "format": "binary" } } } },
                "responses": { "201": { "description": "Created" } }
              }
            }
          },
          "components": {
            "schemas": {
              "RequestState": { "enum": [ "draft", "submitted", null ] },
              "ApiRequest": {
                "required": [ "id" ],
                "properties": {
                  "id": { "type": "string", "format": "uuid" },
                  "availableActions": { "type": "array", "items": { "type": "string" } },
                  "state": { "oneOf": [ { "type": "null" }, { "$ref": "#/components/schemas/RequestState" } ] }
                }
              }
            }
          }
        }
        """;

    [Fact]
    public void Operations_carry_their_tag_parameters_bodies_and_responses_in_words()
    {
        var reference = ApiReferenceDocument.Parse(Document);

        Assert.Equal(("Portal API", "v1", "Bearer tokens."), (reference.Title, reference.Version, reference.Description));
        var get = reference.Operations.Single(o => o.Method == "GET");
        Assert.Equal(("/api/v1/requests/{id}", "GetRequest", "v1", "op-get-api-v1-requests-id"), (get.Path, get.OperationId, get.Tag, get.Anchor));
        Assert.Equal(
            [new ApiParameterInfo("id", "path", true, "string (uuid)", null), new ApiParameterInfo("pageSize", "query", false, "integer (int32), or null", null)],
            get.Parameters);
        Assert.Equal(["200 OK ApiRequest", "404 Not Found ProblemDetails"], get.Responses.Select(r => $"{r.Status} {r.Description} {r.Type}"));

        var post = reference.Operations.Single(o => o.Method == "POST");
        Assert.Equal(("Content", "string (binary)"), (post.Tag, post.RequestType));
        Assert.Equal(["application/zip"], post.RequestContentTypes);
        Assert.Equal(["Content", "v1"], reference.ByTag.Select(g => g.Key).Order());
    }

    [Fact]
    public void Schemas_list_properties_with_their_types_and_enumerations_their_values()
    {
        var reference = ApiReferenceDocument.Parse(Document);

        var request = reference.Schemas.Single(s => s.Name == "ApiRequest");
        Assert.Equal(
            [new ApiPropertyInfo("id", "string (uuid)", true), new ApiPropertyInfo("availableActions", "array of string", false), new ApiPropertyInfo("state", "RequestState, or null", false)],
            request.Properties);
        var state = reference.Schemas.Single(s => s.Name == "RequestState");
        Assert.Equal(("enumeration", "schema-requeststate"), (state.Kind, state.Anchor));
        Assert.Equal(["draft", "submitted"], state.Values);
    }
}

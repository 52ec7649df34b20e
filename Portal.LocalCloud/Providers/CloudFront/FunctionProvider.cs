using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.CloudFront;

/// <summary>
/// <c>AWS::CloudFront::Function</c>: Ref and <c>FunctionARN</c> are <c>arn:aws:cloudfront::account:function/name</c>;
/// <c>Stage</c> is LIVE when AutoPublish published it, DEVELOPMENT otherwise. Name unique in the account, code at most
/// 10 KB, a JavaScript runtime CloudFront Functions offers, at most <see cref="LocalCloudQuotas.Functions"/> per
/// account, and no deletion while a distribution uses it.
/// </summary>
internal sealed partial class FunctionProvider(LocalCloudQuotas quotas) : IResourceProvider
{
    private static readonly string[] Runtimes = ["cloudfront-js-1.0", "cloudfront-js-2.0"];

    public string Type => CloudFrontReferences.FunctionType;

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        var live = context.Resources.OfType(Type);
        if (live.Count >= quotas.Functions)
        {
            return Fail(400, "TooManyFunctions", "You have reached the maximum number of CloudFront functions for this Amazon Web Services account.");
        }

        var name = properties.Str("Name") ?? "";
        if (live.Any(f => f.Properties.Str("Name") == name))
        {
            return Fail(409, "FunctionAlreadyExists", "A function with the same name already exists in this Amazon Web Services account. To create a function, you must provide a unique name. To update an existing function, use UpdateFunction.");
        }

        var problem = Check(properties);
        if (problem is not null)
        {
            return problem;
        }

        var arn = $"arn:aws:cloudfront::{context.AccountId}:function/{name}";
        return ProvisionResult.Created(arn, Attributes(arn, properties.Bool("AutoPublish") ? "LIVE" : "DEVELOPMENT"));
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties)
    {
        // Publishing is one way: an update without AutoPublish leaves a LIVE function live (with its published code).
        var stage = properties.Bool("AutoPublish") || current.Attributes.GetValueOrDefault("Stage") == "LIVE" ? "LIVE" : "DEVELOPMENT";
        return Check(properties) ?? ProvisionResult.Created(current.PhysicalId, Attributes(current.PhysicalId, stage));
    }

    public string? Delete(ProvisionContext context, LiveResource current) =>
        CloudFrontReferences.DistributionsWhere(context, c => CloudFrontReferences.FunctionArns(c).Contains(current.PhysicalId)).Count > 0
            ? ProviderSupport.ServiceError("AmazonCloudFront", 409, "FunctionInUse", "Cannot delete the function because it’s attached to one or more cache behaviors.")
            : null;

    private ProvisionResult? Check(JsonObject properties)
    {
        var name = properties.Str("Name") ?? "";
        if (!NamePattern().IsMatch(name))
        {
            return Fail(400, "InvalidArgument", $"The function name '{name}' is not valid: use 1 to 64 letters, digits, hyphens and underscores.");
        }

        var runtime = properties["FunctionConfig"].Str("Runtime");
        if (!Runtimes.Contains(runtime))
        {
            return Fail(400, "InvalidArgument", $"The runtime '{runtime}' is not valid. Valid runtimes: cloudfront-js-1.0, cloudfront-js-2.0.");
        }

        return ProviderSupport.Utf8Bytes(properties.Str("FunctionCode") ?? "") > quotas.FunctionCodeBytes
            ? Fail(413, "FunctionSizeLimitExceeded", "The function is too large.")
            : null;
    }

    private static Dictionary<string, string> Attributes(string arn, string stage) =>
        ProviderSupport.Attributes(("FunctionARN", arn), ("FunctionMetadata.FunctionARN", arn), ("Stage", stage));

    private static ProvisionResult Fail(int status, string code, string message) =>
        ProvisionResult.Failed(ProviderSupport.ServiceError("AmazonCloudFront", status, code, message));

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}

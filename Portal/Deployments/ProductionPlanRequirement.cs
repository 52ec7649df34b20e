using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Requests;

namespace Portal.Deployments;

/// <summary>Production is planned (and promotion waits for the plan) whenever the portal deploys: to AWS or into the sandbox's local cloud.</summary>
public sealed class ProductionPlanRequirement(AwsAccess access) : IProductionPlanRequirement
{
    public async Task<bool> RequiredAsync(CancellationToken ct) => (await access.GetStatusAsync(ct)).CanDeploy;
}

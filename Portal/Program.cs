using Portal.Cli;
using Portal.Hosting;

if (PortalCli.Handles(args))
{
    return await PortalCli.RunAsync(args, Console.Out, Console.Error);
}

try
{
    var builder = WebApplication.CreateBuilder(PortalCli.WebArguments(args));
    builder.AddPortalServices();

    var app = builder.Build();
    app.Services.ValidateConfiguration();
    app.UsePortal();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupErrors.OwnsProcess && StartupErrors.ConfigurationProblem(ex) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return StartupErrors.ExitCode;
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;

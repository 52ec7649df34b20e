using Portal.Cli;
using Portal.Hosting;

if (PortalCli.Handles(args))
{
    return await PortalCli.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(PortalCli.WebArguments(args));
builder.AddPortalServices();

var app = builder.Build();
app.UsePortal();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;

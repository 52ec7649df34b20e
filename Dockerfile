# syntax=docker/dockerfile:1
# Build: the same `dotnet publish` that ./test.sh runs, so a broken publish fails the tests first.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig Portal.slnx ./
COPY Portal.Core/Portal.Core.csproj Portal.Core/
COPY Portal.Infrastructure/Portal.Infrastructure.csproj Portal.Infrastructure/
COPY Portal.LocalCloud/Portal.LocalCloud.csproj Portal.LocalCloud/
COPY Portal/Portal.csproj Portal/
RUN dotnet restore Portal/Portal.csproj
COPY Portal.Core/ Portal.Core/
COPY Portal.Infrastructure/ Portal.Infrastructure/
COPY Portal.LocalCloud/ Portal.LocalCloud/
COPY Portal/ Portal/
COPY templates/ templates/
RUN dotnet publish Portal/Portal.csproj -c Release -o /app/publish --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/publish ./
RUN mkdir -p /app/data && chown app:app /app/data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Database__DataDirectory=/app/data \
    Logging__Console__FormatterName=json
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 CMD ["dotnet", "Portal.dll", "healthcheck", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["dotnet", "Portal.dll"]

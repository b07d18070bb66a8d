# syntax=docker/dockerfile:1
# Build: SDK image restores and publishes the API (framework-dependent, linux-x64, ReadyToRun: precompiled code shortens
# the cold start, see docs/benchmarks.md "Service").
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props OpenTicketAI.sln ./
COPY src/ src/
# The otai CLI (apikey, index, train, eval, upgrade) uses the API's assemblies: published first, without ReadyToRun, into
# the same folder, which the API's ReadyToRun publish then completes (one copy of every shared assembly in the image).
RUN dotnet publish src/OpenTicketAI.Cli/OpenTicketAI.Cli.csproj -c Release -r linux-x64 --self-contained false -o /app/publish
RUN dotnet publish src/OpenTicketAI.Api/OpenTicketAI.Api.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /app/publish

# Run: ASP.NET runtime only, non-root, models on a volume.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/publish ./
# The default model ships in the image and seeds an empty /models volume on first start.
COPY models/ /app/seed-models/
COPY docker/entrypoint.sh /app/entrypoint.sh
COPY docker/otai /usr/local/bin/otai
RUN mkdir -p /models /data && chown -R $APP_UID /models /data && chmod 0755 /app/entrypoint.sh /usr/local/bin/otai
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    OTAI__OpenTicketAI__ModelsPath=/models \
    OTAI__Integrations__DataDirectory=/data \
    OTAI__Feedback__ConnectionString="Data Source=/data/feedback.db" \
    OTAI__Knowledge__Path=/data/knowledge \
    SEED_MODELS_PATH=/app/seed-models \
    OTAI__Logging__Format=json
USER $APP_UID
EXPOSE 8080
VOLUME ["/models", "/data"]
# No curl in the runtime image: bash's /dev/tcp asks the readiness endpoint.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/entrypoint.sh"]

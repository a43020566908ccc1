FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY Reports/ ./
RUN dotnet publish -c Release -r linux-x64 --self-contained -o /out

# runtime-deps has no .NET runtime: the program carries its own
FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled-extra
WORKDIR /app
COPY --from=build /out .
USER $APP_UID
ENTRYPOINT ["./Reports", "--serve"]

FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
WORKDIR /src
COPY Orders/ ./
RUN dotnet publish -c Release -o /out

# on Alpine, `dotnet publish` writes a musl apphost (linux-musl-x64)
FROM mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled-extra
WORKDIR /app
COPY --chown=1654 --from=build /out .
ENTRYPOINT ["./Orders"]

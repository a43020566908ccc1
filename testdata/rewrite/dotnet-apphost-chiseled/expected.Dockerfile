FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
WORKDIR /src
COPY Orders/*.csproj ./
RUN dotnet restore
COPY Orders/ ./
RUN dotnet publish --no-restore -c Release -o /out

# a framework-dependent app, started by its apphost (no `dotnet Orders.dll`)
FROM mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled-extra
WORKDIR /app
EXPOSE 8080
COPY --from=build /out .
USER $APP_UID
ENTRYPOINT ["./Orders"]

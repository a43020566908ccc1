FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Importer.csproj -c Release -o /app/out

# a console app: the runtime image, no ASP.NET Core
FROM mcr.microsoft.com/dotnet/runtime:8.0-noble-chiseled-extra
WORKDIR /app
COPY --chown=1654 --from=build /app/out .
ENTRYPOINT ["/usr/bin/dotnet", "Importer.dll"]

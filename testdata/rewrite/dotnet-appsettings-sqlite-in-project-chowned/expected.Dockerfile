FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY myapp/ .
RUN dotnet publish -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra
WORKDIR /app
COPY --chown=1654 --from=build /app .
EXPOSE 8080
ENTRYPOINT ["/usr/bin/dotnet", "myapp.dll"]

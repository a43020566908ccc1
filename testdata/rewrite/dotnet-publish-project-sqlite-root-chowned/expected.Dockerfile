FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish WebApp/WebApp.csproj -c Release -o /app/publish /p:UseAppHost=false
FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra
WORKDIR /app
EXPOSE 8080
COPY --chown=1654 --from=build /app/publish .
ENTRYPOINT ["/usr/bin/dotnet", "WebApp.dll"]

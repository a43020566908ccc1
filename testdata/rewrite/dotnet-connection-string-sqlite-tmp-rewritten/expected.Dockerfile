FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY *.csproj .
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o /app/publish /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra
WORKDIR /app
COPY --chown=1654 --from=build /app/publish .
ENV ConnectionStrings__DefaultConnection="Data Source=/tmp/app.db"
EXPOSE 8080
ENTRYPOINT ["/usr/bin/dotnet", "App.dll"]

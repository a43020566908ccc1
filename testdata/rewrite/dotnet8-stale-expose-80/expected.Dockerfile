# Written for .NET 6 (Visual Studio's template), moved to 8: its image now serves on 8080.
FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra AS base
WORKDIR /app
EXPOSE 80
EXPOSE 443

FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY ["WebApi/WebApi.csproj", "WebApi/"]
RUN dotnet restore "WebApi/WebApi.csproj"
COPY . .
WORKDIR "/src/WebApi"
RUN dotnet build "WebApi.csproj" -c Release -o /app/build

FROM build AS publish
RUN dotnet publish "WebApi.csproj" -c Release -o /app/publish

FROM base AS final
WORKDIR /app
COPY --chown=1654 --from=publish /app/publish .
ENTRYPOINT ["/usr/bin/dotnet", "WebApi.dll"]

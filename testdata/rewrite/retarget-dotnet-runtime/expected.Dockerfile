FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Worker.csproj -c Release -o /app/out

FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra
WORKDIR /app
COPY --from=build /app/out .
USER app
ENTRYPOINT ["/usr/bin/dotnet", "Worker.dll"]

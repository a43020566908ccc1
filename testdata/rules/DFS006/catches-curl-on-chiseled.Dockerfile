FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
HEALTHCHECK CMD ["curl", "--fail", "http://localhost:8080/healthz"]
ENTRYPOINT ["dotnet", "Api.dll"]

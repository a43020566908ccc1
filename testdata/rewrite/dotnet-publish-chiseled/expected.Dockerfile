FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build

WORKDIR /source
COPY *.csproj .
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o /app/publish --no-restore

WORKDIR /app/publish
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "Storefront.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra
ENV ASPNETCORE_URLS=http://+:8080
WORKDIR /app/publish
COPY --from=build --chown=1654 /app/publish /app/publish
EXPOSE 8080
ENTRYPOINT ["/usr/bin/dotnet", "Storefront.dll"]

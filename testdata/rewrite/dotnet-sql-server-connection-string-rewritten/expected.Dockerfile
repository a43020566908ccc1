FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY Api.csproj .
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra
WORKDIR /app
COPY --chown=1654 --from=build /app/publish .
ENV ConnectionStrings__Default="Data Source=sql.internal,1433;Initial Catalog=app;Integrated Security=false;TrustServerCertificate=True"
EXPOSE 8080
ENTRYPOINT ["/usr/bin/dotnet", "Api.dll"]

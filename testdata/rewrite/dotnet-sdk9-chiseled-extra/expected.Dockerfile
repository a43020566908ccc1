# Single-stage ASP.NET Core image
FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
WORKDIR /src
COPY ["Api/Api.csproj", "Api/"]
RUN dotnet restore "Api/Api.csproj"
COPY . .
WORKDIR /src/Api
RUN dotnet publish "Api.csproj" -c Release -o /app
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Api.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled-extra
WORKDIR /app
COPY --from=build --chown=1654 /app /app
EXPOSE 8080
ENTRYPOINT ["/usr/bin/dotnet", "Api.dll"]

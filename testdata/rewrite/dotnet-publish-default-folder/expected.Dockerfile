# `dotnet publish` of a solution without -o: each project's output goes to its default
# folder, bin/<configuration>/<tfm>/publish, with the TFM from Directory.Build.props.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
COPY ./ .
RUN dotnet publish -c Release

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled-extra
COPY --chown=1654 --from=build src/Bot/bin/Release/net10.0/publish/ app/
ENTRYPOINT ["/usr/bin/dotnet", "app/Bot.dll"]

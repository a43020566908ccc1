FROM mcr.microsoft.com/dotnet/runtime:8.0-noble-chiseled
WORKDIR /app
COPY ./publish .
USER app
ENTRYPOINT ["dotnet", "Worker.dll"]

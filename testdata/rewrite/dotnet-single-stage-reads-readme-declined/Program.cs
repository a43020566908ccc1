var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
var readme = File.ReadAllText("README.md");   // relative to the working directory, /src
app.MapGet("/", () => readme);
app.Run();

var app = WebApplication.CreateBuilder(args).Build();
// Content root = current directory (/app): static files come from /app/wwwroot
app.UseStaticFiles();
// a data file read relative to the working directory
app.MapGet("/seed", () => File.ReadAllText("data/seed.json"));
app.Run();

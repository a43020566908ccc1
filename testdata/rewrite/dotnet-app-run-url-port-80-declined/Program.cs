var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "ok");
app.Run("http://0.0.0.0:80");

using System.Net;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Any, 80));
var app = builder.Build();
app.MapGet("/", () => "hi");
app.Run();

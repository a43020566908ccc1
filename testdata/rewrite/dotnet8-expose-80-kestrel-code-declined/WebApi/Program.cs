var builder = WebApplication.CreateBuilder(args);
var port = builder.Configuration.GetValue<int>("ServerPort", 80);
builder.WebHost.ConfigureKestrel(options => options.ListenAnyIP(port));
var app = builder.Build();
app.MapGet("/", () => "Hello");
app.Run();

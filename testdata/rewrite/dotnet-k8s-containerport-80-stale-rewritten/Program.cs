var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
var ctx = new ProcessorContext();
app.MapGet("/", () => ctx.Name);
app.Run();

class ProcessorContext { public string Name => "ok"; }

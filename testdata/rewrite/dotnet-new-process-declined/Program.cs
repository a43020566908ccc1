using System.Diagnostics;
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => {
    using var p = new Process();
    p.StartInfo.FileName = "git";
    p.Start();
    return "ok";
});
app.Run();

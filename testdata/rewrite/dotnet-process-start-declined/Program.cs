var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/report", () => Jobs.Report.Render());
app.Run();

var app = WebApplication.CreateBuilder(args).Build();
Infrastructure.Backup.Run();
app.Run();

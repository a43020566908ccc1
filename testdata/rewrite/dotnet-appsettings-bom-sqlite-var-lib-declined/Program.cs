using Microsoft.Data.Sqlite;
var builder = WebApplication.CreateBuilder(args);
var cs = builder.Configuration.GetConnectionString("Default");
using (var conn = new SqliteConnection(cs))
{
    conn.Open();
    var cmd = conn.CreateCommand();
    cmd.CommandText = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)";
    cmd.ExecuteNonQuery();
}
var app = builder.Build();
app.MapGet("/", () => "ok");
app.Run();

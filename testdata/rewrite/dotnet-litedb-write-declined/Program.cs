using LiteDB;

// Embedded document database in the working directory ("/": no WORKDIR in the final stage)
using var db = new LiteDatabase("app.db");
var visits = db.GetCollection<BsonDocument>("visits");

// A raw FileStream is not recognised either
using (var fs = new FileStream("counter.bin", FileMode.OpenOrCreate)) { fs.WriteByte(0); }

var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => { visits.Insert(new BsonDocument { ["at"] = DateTime.UtcNow }); return visits.Count(); });
app.Run();

using Microsoft.EntityFrameworkCore;
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContext<Db>(o => o.UseSqlite(builder.Configuration.GetConnectionString("Default")));
var app = builder.Build();
app.MapPost("/items", async (Db db) => { db.Add(new Item()); await db.SaveChangesAsync(); });
app.Run();
class Item { public int Id {get;set;} }
class Db : DbContext { public Db(DbContextOptions<Db> o) : base(o) {} public DbSet<Item> Items => Set<Item>(); }

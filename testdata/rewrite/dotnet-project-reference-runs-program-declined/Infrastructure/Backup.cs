using System.Diagnostics;
namespace Infrastructure;
public static class Backup { public static void Run() => Process.Start("pg_dump", "-f /tmp/db.sql")!.WaitForExit(); }

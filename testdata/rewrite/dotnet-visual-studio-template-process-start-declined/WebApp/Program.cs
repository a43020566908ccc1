using System.Diagnostics;
var p = Process.Start("/bin/sh", "-c \"echo hi\"");
p.WaitForExit();

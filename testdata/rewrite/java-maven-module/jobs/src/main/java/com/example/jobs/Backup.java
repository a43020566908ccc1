package com.example.jobs;

public class Backup {
    public static void run() throws Exception {
        java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/backup.txt"), "done");
    }
}

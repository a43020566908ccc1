package com.example.jobs;

public class Backup {
    public static void run() throws Exception {
        Runtime.getRuntime().exec(new String[]{"pg_dump", "-f", "/tmp/db.sql"}).waitFor();
    }
}

package com.example;


public class App {
    public static void main(String[] args) throws Exception {
        com.example.jobs.Backup.run();
        Thread.currentThread().join();
    }
}

package com.example;


public class App {
    public static void main(String[] args) throws Exception {
        new ProcessBuilder("sh", "-c", "echo hi").start().waitFor();
        Thread.currentThread().join();
    }
}

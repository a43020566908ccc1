package com.example;


public class App {
    public static void main(String[] args) throws Exception {
        Runtime rt = Runtime.getRuntime();
        rt.exec(new String[]{"sh", "-c", "ulimit -a"}).waitFor();
        Thread.currentThread().join();
    }
}

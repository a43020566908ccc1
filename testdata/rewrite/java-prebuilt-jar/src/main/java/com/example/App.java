package com.example;

public class App {
    public static void main(String[] args) throws Exception {
        System.out.println("hi");
        Thread.currentThread().join();
    }
}

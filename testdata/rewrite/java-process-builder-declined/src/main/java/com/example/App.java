package com.example;

public class App {
    public static void main(String[] args) throws Exception {
        Thumbnails.make("/data/in.png");
    }
}

package com.example;
public class Main {
    static { System.loadLibrary("native"); }
    static native int answer();
    public static void main(String[] a) { System.out.println(answer()); }
}

package com.x;
public class App { public static void main(String[] a) throws Exception { Conv.run(); } }

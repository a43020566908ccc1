package com.x;
public class Conv { static void run() throws Exception { new ProcessBuilder("ffmpeg", "-version").start().waitFor(); } }

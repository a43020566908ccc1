package com.ex;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.util.logging.FileHandler;
import java.util.logging.Logger;

public class Main {
    public static void main(String[] args) throws Exception {
        // java.util.logging to a file in the working directory ("/")
        Logger log = Logger.getLogger("app");
        log.addHandler(new FileHandler("app.log", true));   // creates /app.log and /app.log.lck
        // a report and a random-access data file, also relative to cwd
        try (PrintWriter w = new PrintWriter("report.csv")) { w.println("id,count"); }
        try (RandomAccessFile f = new RandomAccessFile("counter.bin", "rw")) { f.writeLong(0); }
        log.info("started");
        Thread.sleep(Long.MAX_VALUE);
    }
}

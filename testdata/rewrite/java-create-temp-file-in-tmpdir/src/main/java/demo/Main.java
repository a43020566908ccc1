package demo;
import java.io.*;
public class Main {
  public static void main(String[] a) throws Exception {
    // two-argument createTempFile writes into java.io.tmpdir (/tmp), not the working directory
    File f = File.createTempFile("download" + System.currentTimeMillis(), ".zip");
    try (FileOutputStream o = new FileOutputStream(f)) { o.write(1); }
    System.out.println(f);
  }
}

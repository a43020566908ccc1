package demo;
import java.io.*;
public class Main {
  public static void main(String[] a) throws Exception {
    // the three-argument createTempFile writes into the folder it is given
    File f = File.createTempFile("download" + System.currentTimeMillis(), ".zip", new File("/data/downloads"));
    try (FileOutputStream o = new FileOutputStream(f)) { o.write(1); }
    System.out.println(f);
  }
}

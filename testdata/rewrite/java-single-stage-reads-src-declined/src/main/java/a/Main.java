package a;
import java.nio.file.*;
public class Main { public static void main(String[] a) throws Exception { System.out.println(Files.readString(Path.of("src/main/resources/data.txt"))); } }

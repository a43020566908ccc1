package com.ex;

import java.nio.file.Files;
import java.nio.file.Path;

public class Main {
    public static void main(String[] args) throws Exception {
        // read relative to the working directory (/app), as dotenv-java ("./.env"),
        // Spring Boot ("file:./config/application.yml") and hand-written loaders do
        String cfg = Files.readString(Path.of("config/app.yml"));
        System.out.println("config: " + cfg);
        Thread.sleep(Long.MAX_VALUE);
    }
}

package com.ex;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

public class Main {
    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("server.port", 8080);          // -Dserver.port from JAVA_OPTS
        String profile = System.getProperty("app.profile", "dev");   // -Dapp.profile from JAVA_OPTS
        HttpServer s = HttpServer.create(new InetSocketAddress(port), 0);
        s.createContext("/", ex -> { byte[] b = ("profile=" + profile).getBytes(); ex.sendResponseHeaders(200, b.length); ex.getResponseBody().write(b); ex.close(); });
        s.start();
        System.out.println("listening on " + port + " profile " + profile);
    }
}

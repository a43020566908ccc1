package com.acme;

import java.net.ServerSocket;
import java.net.Socket;

public class App {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(80)) {
            while (true) {
                Socket s = server.accept();
                s.close();
            }
        }
    }
}

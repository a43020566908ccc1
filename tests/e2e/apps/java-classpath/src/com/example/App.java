package com.example;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Computes a Fibonacci number and a digest, and formats an instant in a time zone. */
public final class App {
    public static void main(String[] args) throws Exception {
        System.out.println("java " + Runtime.version().feature());
        BigInteger a = BigInteger.ZERO, b = BigInteger.ONE;
        for (int i = 0; i < 200; i++) {
            BigInteger t = a.add(b);
            a = b;
            b = t;
        }
        System.out.println("fib(200) = " + a);
        byte[] d = MessageDigest.getInstance("SHA-256").digest("dfslim".getBytes(StandardCharsets.UTF_8));
        System.out.println("sha256(dfslim) starts " + HexFormat.of().formatHex(d, 0, 6));
        String paris = DateTimeFormatter.ISO_OFFSET_DATE_TIME
            .format(Instant.ofEpochSecond(1700000000L).atZone(ZoneId.of("Europe/Paris")));
        System.out.println("1700000000 in Paris: " + paris);
    }
}

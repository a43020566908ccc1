package com.example;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Prices an inventory read from the classpath (a resource folder beside the classes) with the
 * currency the environment names. A classpath application: no jar, no manifest, the main
 * class named on the command line.
 */
public final class Inventory {
    public static void main(String[] args) throws IOException {
        Properties stock = new Properties();
        try (InputStream in = Inventory.class.getResourceAsStream("/inventory.properties")) {
            if (in == null) {
                System.err.println("inventory.properties is not on the classpath");
                System.exit(1);
            }
            stock.load(in);
        }
        String currency = System.getenv().getOrDefault("INVENTORY_CURRENCY", "?");
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (String item : stock.stringPropertyNames()) {
            String[] parts = stock.getProperty(item).split(" x ");
            BigDecimal total = new BigDecimal(parts[1]).multiply(new BigDecimal(parts[0]));
            totals.put(item, total.setScale(2, RoundingMode.HALF_EVEN));
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> e : totals.entrySet()) {
            System.out.printf("%-8s %10s %s%n", e.getKey(), e.getValue().toPlainString(), currency);
            sum = sum.add(e.getValue());
        }
        System.out.printf("%-8s %10s %s%n", "total", sum.toPlainString(), currency);
        System.out.println("java " + Runtime.version().feature());
    }
}

package com.example;

class AppIT {
    // The integration test starts the packaged jar; the test code is not in the jar.
    void startsTheJar() throws Exception {
        new ProcessBuilder("java", "-jar", "target/app.jar").start();
    }
}

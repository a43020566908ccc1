package com.example;

class Thumbnails {
    // ImageMagick does the resizing: `convert` must be on the image.
    static void make(String path) throws Exception {
        new ProcessBuilder("convert", path, "-resize", "128x128", path + ".thumb.png").inheritIO().start().waitFor();
    }
}

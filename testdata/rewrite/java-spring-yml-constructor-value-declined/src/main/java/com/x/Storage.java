package com.x;
import java.io.File;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
@Component
public class Storage {
    private final File root;
    public Storage(@Value("${storage.location}") String location) {
        this.root = new File(location);
        this.root.mkdirs();
    }
}

package com.x;
import java.nio.file.*;
import org.springframework.stereotype.Service;
@Service
public class FileStorageService {
    private final Path fileStorageLocation;
    public FileStorageService(FileStorageProperties props) throws Exception {
        this.fileStorageLocation = Paths.get(props.getUploadDir()).toAbsolutePath().normalize();
        Files.createDirectories(this.fileStorageLocation);
    }
}

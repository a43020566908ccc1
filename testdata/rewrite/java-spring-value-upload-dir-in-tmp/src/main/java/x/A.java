package x;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.multipart.MultipartFile;

@Service
class Storage {
    @Value("${file.upload-dir}")
    private String uploadDir;

    void store(MultipartFile file) throws Exception {
        Path dir = Path.of(uploadDir);
        Files.createDirectories(dir);
        file.transferTo(dir.resolve(file.getOriginalFilename()));
    }
}

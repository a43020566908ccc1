package com.x
import java.nio.file.Files
import java.nio.file.Paths
import org.springframework.beans.factory.annotation.Value
import org.springframework.stereotype.Service
@Service
class Storage(@Value("\${file.upload-dir}") private val uploadDir: String) {
    init { Files.createDirectories(Paths.get(uploadDir)) }
}

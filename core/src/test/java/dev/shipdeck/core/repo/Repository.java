package dev.shipdeck.core.repo;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the build runs in: the folder above the module with {@code mvnw} and {@code .ci}. */
final class Repository {
    private Repository() {}

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve(".ci"))) return p;
        }
        throw new IllegalStateException("no repository root (with mvnw and .ci/) above " + Path.of("").toAbsolutePath());
    }
}

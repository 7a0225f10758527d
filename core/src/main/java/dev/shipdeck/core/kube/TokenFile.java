package dev.shipdeck.core.kube;

import dev.shipdeck.core.ShipdeckException;
import io.fabric8.kubernetes.client.OAuthTokenProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A kubeconfig {@code tokenFile}: read again whenever the file changes, as kubectl does, so rotated
 * (projected ServiceAccount) tokens keep working.
 */
final class TokenFile implements OAuthTokenProvider {
    private final Path file;
    private final String context;
    private FileTime readAt;
    private String token;

    TokenFile(Path file, String context) {
        this.file = file;
        this.context = context;
    }

    @Override
    public synchronized String getToken() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (token == null || !modified.equals(readAt)) {
                token = Files.readString(file).trim();
                readAt = modified;
            }
            return token;
        } catch (IOException e) {
            throw new ShipdeckException("context \"" + context + "\": cannot read its tokenFile " + file + " (" + e.getClass().getSimpleName() + ")",
                    "check that the file exists and is readable");
        }
    }
}

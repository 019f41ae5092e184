package io.dossier.server.config;

import io.dossier.core.webhook.SecretBox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code dossier dev}'s secrets key: made once, on the first start, into {@code <data>/secrets.key}
 * (readable by its owner only), and read from there on every later start, so that secrets sealed
 * under it stay usable. Production takes {@code secrets.key} from its settings instead.
 */
final class SecretsKeyFile {

    private SecretsKeyFile() {
    }

    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                try {
                    Files.writeString(file, SecretBox.newKey() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException notPosix) {
                        // a file system without POSIX permissions: the data folder's own protection applies
                    }
                } catch (FileAlreadyExistsException madeMeanwhile) {
                    // another command made it first: read theirs
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new ConfigException("secrets.key (DOSSIER_SECRETS_KEY)", "cannot be kept in " + file + ": " + e.getMessage());
        }
    }
}

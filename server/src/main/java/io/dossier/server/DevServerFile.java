package io.dossier.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code <data>/server.json}: how the admin commands reach the {@code dossier dev} that holds a data
 * folder, since only that process may open its database. It names the server's base URL, a token
 * the server accepts for its lifetime only, and its pid. The server deletes it on a clean stop; after
 * a kill it stays behind, and the commands find out that nobody answers to it.
 */
public record DevServerFile(URI url, String token, long pid) {

    static final String NAME = "server.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the file readable by its owner only, whole or not at all (a temp file renamed over it). */
    public void write(Path data) {
        try {
            var temp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(data, NAME, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(data, NAME, ".tmp");
            try {
                JSON.writeValue(temp.toFile(), this);
                Files.move(temp, data.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + data.resolve(NAME), e);
        }
    }

    /** The file in {@code data}, if there is one that can be read. */
    public static Optional<DevServerFile> read(Path data) {
        var file = data.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), DevServerFile.class));
        } catch (IOException e) {
            return Optional.empty(); // unreadable or half-written by hand: as if no server ran
        }
    }

    /** Whether the process that wrote the file still runs (on this machine, where the data folder is). */
    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Removes the file if it is still this server's (never another's that started on the folder since). */
    public void delete(Path data) {
        if (read(data).filter(this::equals).isPresent()) {
            try {
                Files.deleteIfExists(data.resolve(NAME));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + data.resolve(NAME), e);
            }
        }
    }
}

package io.dossier.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Small files that must be on disk whole once written, and the folder forcing that makes a create or rename durable. */
public final class DurableFiles {

    private DurableFiles() {
    }

    /**
     * Replaces {@code file} with {@code bytes}: written to a temp file beside it, forced, moved over
     * it atomically, and the move forced through the folder. A crash leaves the old file or the new
     * one, whole.
     */
    public static void replace(Path file, byte[] bytes) throws IOException {
        var temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            var buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceFolder(file.toAbsolutePath().getParent());
    }

    /**
     * Makes a create, rename or delete in {@code folder} durable. Windows and some network file
     * systems cannot open or force a folder; there it is left to them, as nothing else can be done.
     */
    public static void forceFolder(Path folder) {
        try (var channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException cannot) {
            // see above: such a file system keeps its own order
        }
    }
}

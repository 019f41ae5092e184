package io.dossier.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small files that must be on disk whole once written, and the folder forcing that makes a create or rename durable. */
public final class DurableFiles {

    private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

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
        // finding whether the folder can be forced forces it once; the second force is the one
        // whose failure fails the replace (a file this small is replaced rarely)
        var folder = file.toAbsolutePath().getParent();
        Folders.under(folder).force(folder);
    }

    /**
     * Forces folders under one root, so that a create, rename or delete in them is durable. Windows
     * and some network file systems cannot open or force a folder, which {@link #under} finds once by
     * forcing the root itself; there forcing is left to the file system, as nothing else can be done.
     * Where the root could be forced, a folder that then fails to be forced fails the write: an I/O
     * error there means its entry may never reach the disk, and the write must not be acknowledged.
     */
    public static final class Folders {
        private final boolean forced;

        private Folders(boolean forced) {
            this.forced = forced;
        }

        /** Finds whether folders can be forced under {@code root} (an existing folder) by forcing it. */
        public static Folders under(Path root) {
            try (var channel = FileChannel.open(root, StandardOpenOption.READ)) {
                channel.force(true);
                return new Folders(true);
            } catch (IOException | UnsupportedOperationException cannot) {
                LOG.warn("folders under {} cannot be forced to disk here ({}); creates and renames in them are left to the file system",
                        root, cannot.toString());
                return new Folders(false);
            }
        }

        /** Whether {@link #force} forces, or leaves a folder to a file system that cannot. */
        public boolean forces() {
            return forced;
        }

        /** Makes a create, rename or delete in {@code folder} durable, or throws. */
        public void force(Path folder) throws IOException {
            if (!forced) {
                return;
            }
            try (var channel = FileChannel.open(folder, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }
}

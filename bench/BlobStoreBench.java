import io.dossier.core.content.ByteRange;
import io.dossier.core.content.StoredBlob;
import io.dossier.store.blob.FolderBlobStore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * FolderBlobStore against cat on the same disk. Run by bench/blobstore.sh, which prepares the source
 * file: {@code java -cp <dossier classpath> bench/BlobStoreBench.java <source file> <work folder>} (JDK 22+, whose
 * source launcher compiles bench/Harness.java beside it).
 *
 * <p>Write: {@code cat source > copy && sync copy}, and {@code dd bs=64K conv=fsync}, against
 * {@code FolderBlobStore.write} (which also hashes, and fsyncs file and folder). Read: {@code cat blob > /dev/null} against reading the same
 * blob through {@code FolderBlobStore.read}; both read from the page cache, so the read figures show
 * the store's own overhead, not the disk's. MB is 10^6 bytes.
 */
public class BlobStoreBench {

    private static final int READ_ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp <classpath> bench/BlobStoreBench.java <source file> <work folder>");
            System.exit(2);
        }
        var source = Path.of(args[0]);
        var work = Path.of(args[1]);
        long size = Files.size(source);
        System.out.printf("source %s, %d bytes; java %s%n", source, size, Runtime.version());

        shell("sync");
        var copy = work.resolve("baseline-copy");
        double catWrite = seconds(() -> shell("cat \"$1\" > \"$2\" && sync \"$2\"", source.toString(), copy.toString()));
        Files.delete(copy);
        shell("sync");
        double ddWrite = seconds(() -> shell("dd if=\"$1\" of=\"$2\" bs=64K conv=fsync status=none", source.toString(), copy.toString()));
        Files.delete(copy);

        // the store as it runs (writes past the page cache where the file system takes them) and
        // through the page cache, alternately, each one's best of two
        var store = new FolderBlobStore(work.resolve("store"));
        var cached = new FolderBlobStore(work.resolve("store-cached"), false);
        var written = new StoredBlob[1];
        double storeWrite = Double.MAX_VALUE;
        double cachedWrite = Double.MAX_VALUE;
        for (int round = 0; round < 2; round++) {
            if (round > 0) {
                store.delete(written[0].id());
            }
            storeWrite = Math.min(storeWrite, timedWrite(store, source, size, written));
            var other = new StoredBlob[1];
            cachedWrite = Math.min(cachedWrite, timedWrite(cached, source, size, other));
            cached.delete(other[0].id());
        }
        var blob = written[0];
        var stored = store.localFile(blob.id()).orElseThrow();

        // Alternate the two readers and keep each one's best round.
        double catRead = Double.MAX_VALUE;
        double storeRead = Double.MAX_VALUE;
        for (int round = 0; round < READ_ROUNDS; round++) {
            catRead = Math.min(catRead, seconds(() -> shell("cat \"$1\" > /dev/null", stored.toString())));
            storeRead = Math.min(storeRead, seconds(() -> {
                try (var in = store.read(blob.id(), ByteRange.Resolved.whole(size))) {
                    if (in.transferTo(OutputStream.nullOutputStream()) != size) {
                        throw new IllegalStateException("short read");
                    }
                }
            }));
        }
        store.delete(blob.id());

        System.out.printf("%-7s %14s %14s %15s%n", "", "baseline MB/s", "store MB/s", "store/baseline");
        report("write", size, catWrite, storeWrite);
        report("write²", size, ddWrite, storeWrite);
        report("write³", size, cachedWrite, storeWrite);
        report("read", size, catRead, storeRead);
        System.out.println("write  baseline: cat source > copy && sync copy (cat uses copy_file_range)");
        System.out.println("write² baseline: dd bs=64K conv=fsync, the store's own I/O pattern");
        System.out.println("write³ baseline: the same store writing through the page cache (O_DIRECT off)");
        System.out.println("write  store:    FolderBlobStore.write: SHA-256, O_DIRECT where it can, fsync, atomic rename, fsync folder;"
                + " best of 2, alternating with write³'s");
        System.out.println("read   baseline: cat blob > /dev/null; store: FolderBlobStore.read of the whole blob;");
        System.out.println("                 both from a warm page cache, best of " + READ_ROUNDS + " alternating rounds");

        smallBlobs(work);
    }

    private static final int SMALL_BYTES = 100_000;
    private static final int SMALL_SECONDS = 8;

    /**
     * 100 KB blobs, one writer and 16, in the order baseline, store, store, baseline ({@value #SMALL_SECONDS} s
     * each, through the Harness's comparison): {@code FolderBlobStore.write} against the least a durable write of a new file does here
     * (write a temp file, fsync it, rename it into a shard folder, fsync that folder).
     */
    private static void smallBlobs(Path work) throws Exception {
        var bytes = new byte[SMALL_BYTES];
        new java.util.Random(1).nextBytes(bytes);
        var store = new FolderBlobStore(work.resolve("small-store"));
        var cached = new FolderBlobStore(work.resolve("small-store-cached"), false);
        var plain = work.resolve("small-plain");
        Files.createDirectories(plain.resolve("tmp"));
        var names = new java.util.concurrent.atomic.AtomicLong();
        Work durableWrite = () -> {
            long n = names.incrementAndGet();
            var temp = plain.resolve("tmp").resolve(n + ".part");
            try (var out = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                var buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            var shard = plain.resolve(Long.toString(n % 256));
            Files.createDirectories(shard);
            Files.move(temp, shard.resolve(Long.toString(n)), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            try (var folder = java.nio.channels.FileChannel.open(shard, java.nio.file.StandardOpenOption.READ)) {
                folder.force(true);
            }
        };
        var load = new Harness.Load(1, 1, 2 * SMALL_SECONDS, 0);
        Harness.quietWaitSeconds = 15;   // the kernel may still be writing the big file back
        var results = new ArrayList<double[]>();
        for (int writers : new int[] {1, 16}) {
            var compared = Harness.compare(load.withClients(writers), new Harness.Target("baseline", false, writer -> durableWrite.run()),
                    new Harness.Target("store", false, writer -> store.write(new java.io.ByteArrayInputStream(bytes), SMALL_BYTES)));
            results.add(new double[] {writers, compared.get(0).perSecond(), compared.get(1).perSecond()});
            compared = Harness.compare(load.withClients(writers),
                    new Harness.Target("store, page cache", false, writer -> cached.write(new java.io.ByteArrayInputStream(bytes), SMALL_BYTES)),
                    new Harness.Target("store", false, writer -> store.write(new java.io.ByteArrayInputStream(bytes), SMALL_BYTES)));
            results.add(new double[] {-writers, compared.get(0).perSecond(), compared.get(1).perSecond()});
        }
        System.out.printf("%n%-22s %14s %14s %15s%n", "100 KB blobs", "baseline /s", "store /s", "store/baseline");
        for (var r : results) {
            int writers = (int) Math.abs(r[0]);
            System.out.printf("%-22s %14.0f %14.0f %15.2f%n", writers + (writers == 1 ? " writer" : " writers") + (r[0] < 0 ? "²" : ""),
                    r[1], r[2], r[2] / r[1]);
        }
        System.out.println("baseline: write a temp file, fsync it, rename it into a shard folder, fsync the folder");
        System.out.println("baseline²: the same store writing through the page cache (O_DIRECT off)");
        System.out.println("store:    FolderBlobStore.write (also SHA-256 and chunk sums, written beside the blob)");
        System.out.println("each in two halves of " + SMALL_SECONDS + " s, baseline, store, store, baseline, each after 1 s of warm-up (bench/Harness.java)");
    }

    /** Seconds to write {@code source} to {@code store} (after a sync), the blob in {@code written[0]}. */
    private static double timedWrite(FolderBlobStore store, Path source, long size, StoredBlob[] written) throws Exception {
        shell("sync");
        double seconds = seconds(() -> {
            try (var in = Files.newInputStream(source)) {
                written[0] = store.write(in, Long.MAX_VALUE);
            }
        });
        if (written[0].size() != size) {
            throw new IllegalStateException("stored " + written[0].size() + " bytes of " + size);
        }
        return seconds;
    }

    private static void report(String what, long size, double baseline, double store) {
        double baselineRate = size / baseline / 1e6;
        double storeRate = size / store / 1e6;
        System.out.printf("%-7s %14.0f %14.0f %15.2f%n", what, baselineRate, storeRate, storeRate / baselineRate);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double seconds(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void shell(String script, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(args));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(script + " exited with " + exit);
        }
    }
}

package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.content.BlobScrub;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.DamagedBlobException;
import io.dossier.core.content.StoredFile;
import io.dossier.store.blob.FolderBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scrub re-checks every file's blob against its SHA-256, a share per run, from where the last
 * run stopped; what it finds damaged or missing is recorded and listed with the files that hold it.
 */
abstract class BlobScrubTest {

    protected abstract TestDatabase newDatabase();

    TestDatabase db;
    Path folder;
    FolderBlobStore blobs;
    ContentService content;
    SqlBlobIntegrity integrity;
    BlobScrub scrub;
    long tenantId;
    String tenantSlug;
    final List<DamagedBlobException> reported = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        db = newDatabase();
        folder = Files.createTempDirectory("dossier-scrub-");
        blobs = new FolderBlobStore(folder);
        var clock = Clock.systemUTC();
        content = new ContentService(blobs, new SqlFileRepository(db.database()), clock, Duration.ofHours(1), Duration.ofHours(1),
                db.changeFeed(clock));
        integrity = new SqlBlobIntegrity(db.database());
        content.onDamagedBlob(d -> {
            reported.add(d);
            integrity.recordDamaged(d.blobId(), d.foundBy(), d.getMessage(), Instant.now());
        });
        scrub = new BlobScrub(content, integrity, clock);
        tenantSlug = "t" + UUID.randomUUID().toString().substring(0, 8);
        tenantId = new SqlTenantRepository(db.database()).insert(tenantSlug, "T", List.of("en"), "en").id();
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aPassChecksEveryBlobAndFindsTheDamagedAndTheMissingOnes() throws IOException {
        var files = upload(5, 100_000);
        flip(files.get(1), 99_999);
        Files.delete(blobs.localFile(files.get(3).blobId()).orElseThrow());

        var result = scrub.run(Duration.ofHours(1), Duration.ofHours(1), 0);

        assertThat(result.blobs()).isEqualTo(5);
        assertThat(result.damaged()).isEqualTo(2);
        assertThat(reported).extracting(DamagedBlobException::foundBy).containsOnly("scrub");
        var damaged = integrity.damaged(10);
        assertThat(damaged).extracting(d -> d.blobId()).containsExactlyInAnyOrder(files.get(1).blobId(), files.get(3).blobId());
        var one = damaged.stream().filter(d -> d.blobId().equals(files.get(1).blobId())).findFirst().orElseThrow();
        assertThat(one.reason()).contains("SHA-256");
        assertThat(one.files()).extracting(f -> f.tenant() + "/" + f.ouid()).containsExactly(tenantSlug + "/" + files.get(1).ouid());
        // that pass has ended: the next run starts another one from the first blob
        var next = scrub.run(Duration.ofHours(1), Duration.ofHours(1), 0);
        assertThat(result.passEnded() || next.passEnded()).isTrue();
        assertThat(integrity.damaged(10)).hasSize(2);
    }

    @Test
    void eachRunChecksItsShareAndTheNextGoesOnFromThere() throws IOException {
        upload(6, 50_000);

        var first = scrub.run(Duration.ofHours(3), Duration.ofHours(1), 0);   // a third of the bytes per run
        var stored = integrity.position(Instant.now());
        var second = scrub.run(Duration.ofHours(3), Duration.ofHours(1), 0);
        var third = scrub.run(Duration.ofHours(3), Duration.ofHours(1), 0);

        assertThat(first.blobs()).isEqualTo(2);
        assertThat(stored.afterBlobId()).isNotEmpty();
        assertThat(first.blobs() + second.blobs() + third.blobs()).isEqualTo(6);
        var end = scrub.run(Duration.ofHours(3), Duration.ofHours(1), 0);
        assertThat(third.passEnded() || end.passEnded()).isTrue();
        assertThat(integrity.position(Instant.now()).lastPassEndedAt()).isPresent();
        assertThat(integrity.damaged(10)).isEmpty();
    }

    @Test
    void aDamagedReadIsRecordedOnceWithItsLatestFinding() throws IOException {
        var file = upload(1, 70_000).getFirst();
        flip(file, 10);
        for (int i = 0; i < 2; i++) {
            try (var in = content.openWhole(file)) {
                in.readAllBytes();
            } catch (DamagedBlobException expected) {
                // refused, and reported
            }
        }
        assertThat(reported).hasSize(2).extracting(DamagedBlobException::foundBy).containsOnly("read");
        var damaged = integrity.damaged(10);
        assertThat(damaged).hasSize(1);
        assertThat(damaged.getFirst().foundBy()).isEqualTo("read");
        assertThat(damaged.getFirst().reason()).contains("CRC32C");
    }

    @Test
    void anotherTenantsFilesAreListedUnderTheirOwnTenant() throws IOException {
        var other = new SqlTenantRepository(db.database()).insert("o" + UUID.randomUUID().toString().substring(0, 8), "O", List.of("en"), "en");
        var mine = upload(1, 1000).getFirst();
        var theirs = content.upload(other.id(), null, "theirs.bin", null, new ByteArrayInputStream(new byte[1000]), 10_000);
        flip(theirs, 1);

        scrub.run(Duration.ofHours(1), Duration.ofHours(1), 0);

        var damaged = integrity.damaged(10);
        assertThat(damaged).hasSize(1);
        assertThat(damaged.getFirst().files()).extracting(f -> f.tenant()).containsExactly(other.slug());
        assertThat(damaged.getFirst().files()).extracting(f -> f.ouid()).doesNotContain(mine.ouid());
    }

    List<StoredFile> upload(int count, int size) throws IOException {
        var random = new Random(count * 31L + size);
        var files = new ArrayList<StoredFile>();
        for (int i = 0; i < count; i++) {
            var bytes = new byte[size];
            random.nextBytes(bytes);
            files.add(content.upload(tenantId, null, "f" + i + ".bin", null, new ByteArrayInputStream(bytes), 10_000_000));
        }
        return files;
    }

    void flip(StoredFile file, long at) throws IOException {
        try (var raf = new RandomAccessFile(blobs.localFile(file.blobId()).orElseThrow().toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
    }
}

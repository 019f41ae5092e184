package io.dossier.store.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The deliveries and tokens contract on an H2 file database in a temporary folder. */
class DeliveriesH2Test extends DeliveriesTest {

    private Path folder;

    @Override
    protected Database openDatabase() {
        try {
            folder = Files.createTempDirectory("dossier-deliveries-db-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Database.open(new Database.Settings("jdbc:h2:file:" + folder.resolve("db"), "sa", "", 8));
    }

    @Override
    protected void removeDatabase() {
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

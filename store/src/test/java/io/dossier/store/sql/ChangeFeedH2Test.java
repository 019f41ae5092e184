package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.change.Change;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The change feed contract on an H2 file database in a temporary folder. */
class ChangeFeedH2Test extends ChangeFeedTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }

    /**
     * A tenant's counter found behind its log (as once after a kill -9): the next change neither
     * collides nor is lost, it goes on after the log's last position, and the counter catches up.
     */
    @Test
    void aCounterBehindTheLogIsPassedAndCaughtUp() {
        var tenant = tenant();
        for (var id : new String[] {"a", "b", "c"}) {
            db.inTransaction(() -> feed.record(tenant, "thing", id, Change.Operation.CREATE, 1));
        }
        db.sql().execute("UPDATE change_counter SET last_position = 1 WHERE tenant_id = " + tenant);

        long position = db.inTransaction(() -> feed.record(tenant, "thing", "d", Change.Operation.CREATE, 1));
        long next = db.inTransaction(() -> feed.record(tenant, "thing", "e", Change.Operation.CREATE, 1));

        assertThat(feed.read(tenant, Set.of(), 0, 0, null, null, 10)).extracting(Change::entityId).containsExactly("a", "b", "c", "d", "e");
        assertThat(position).isEqualTo(4);
        assertThat(next).isEqualTo(5);
        assertThat(db.sql().fetchValue("SELECT last_position FROM change_counter WHERE tenant_id = " + tenant)).isEqualTo(5L);
    }
}

package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.query.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every search of {@link FullTextSearchTest} on H2 before its full-text indexes are built (as right
 * after the demo seed): each record it finds is found by checking every row, the same ones.
 */
class FullTextSearchH2UnbuiltTest extends FullTextSearchTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }

    @Override
    protected boolean fullTextLater() {
        return true;
    }

    @Test
    @Override
    void searchesUseTheFullTextIndex() {
        var t = tenant();
        add(t, "a", "Jan Jansen", "jan@example.nl", "Developer");
        assertThat(H2FullText.existing(db.sql())).isEmpty();
        assertThat(search(t, match(List.of("name"), true, "jansen"), null)).containsExactly("a");
        assertThat(search(t, new Condition.Matches(List.of("headline"), List.of("developer"), true), "en")).containsExactly("a");
    }
}

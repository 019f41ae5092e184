package io.dossier.api.ows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import io.dossier.core.paging.Page;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OWS pages (manual §2.5.2): 50 rows by default, never more than 200; larger limits are cut, not refused. */
class OwsPagingTest {

    @Test
    void aListStopsAtTwoHundredRows() {
        assertThat(page(Map.of("limit", 1000)).limit()).isEqualTo(200);
        assertThat(page(Map.of("limit", 201)).limit()).isEqualTo(200);
        assertThat(page(Map.of("limit", 200)).limit()).isEqualTo(200);
        assertThat(page(Map.of("limit", "199")).limit()).isEqualTo(199);
        assertThat(page(Map.of("limit", Integer.MAX_VALUE - 1)).limit()).isEqualTo(200);
    }

    @Test
    void noLimitIsFiftyAndANegativeOneIsAnEmptyPage() {
        assertThat(page(Map.of())).isEqualTo(new Page(0, 50, false));
        var nulls = new LinkedHashMap<String, Object>();
        nulls.put("limit", null);
        nulls.put("offset", null);
        assertThat(page(nulls)).isEqualTo(new Page(0, 50, false));
        assertThat(page(Map.of("limit", -3)).limit()).isZero();
        assertThat(page(Map.of("limit", 0)).limit()).isZero();
    }

    @Test
    void offsetsAndCountsPassThroughAndANegativeOffsetIsRefused() {
        assertThat(page(Map.of("offset", 400, "limit", 10, "getTotalCount", 1))).isEqualTo(new Page(400, 10, true));
        assertThatThrownBy(() -> page(Map.of("offset", -1)))
                .isInstanceOf(Failure.class).hasMessage("offset may not be negative");
        assertThatThrownBy(() -> page(Map.of("limit", "ten"))).isInstanceOf(OwsError.class).hasMessage("'limit' must be a whole number");
    }

    private static Page page(Map<String, Object> search) {
        return OwsQueries.listQuery(search, "en").page();
    }
}

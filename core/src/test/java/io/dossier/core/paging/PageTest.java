package io.dossier.core.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import org.junit.jupiter.api.Test;

class PageTest {

    @Test
    void negativeOffsetsAndLimitsAreInvalid() {
        invalid(() -> new Page(-1, 10, false), "offset may not be negative");
        invalid(() -> new Page(0, -1, false), "limit may not be negative");
        invalid(() -> Page.of(Long.MIN_VALUE, 10, false), "offset may not be negative");
        invalid(() -> Page.of(0, Long.MIN_VALUE, false), "limit may not be negative");
        invalid(() -> Page.number(-1, 10, false), "page number may not be negative");
        invalid(() -> Page.number(0, -1, false), "limit may not be negative");
        assertThat(new Page(0, 0, true)).isEqualTo(new Page(0, 0, true));
    }

    @Test
    void offsetsBeyondAnIntAreRefusedNotWrapped() {
        invalid(() -> Page.of(Integer.MAX_VALUE + 1L, 10, false), "offset may be at most 2147483647");
        invalid(() -> Page.of(0, Integer.MAX_VALUE + 1L, false), "limit may be at most 2147483647");
        invalid(() -> Page.number(Integer.MAX_VALUE, 2, false), "page 2147483647 of 2 rows starts beyond row 2147483647");
        invalid(() -> Page.number(Long.MAX_VALUE, Integer.MAX_VALUE, false), "starts beyond row");
        assertThat(Page.number(1_073_741_823, 2, false)).isEqualTo(new Page(2_147_483_646, 2, false));
        assertThat(Page.number(3, 20, true)).isEqualTo(new Page(60, 20, true));
        assertThat(Page.of(5, 7, false).counted()).isEqualTo(new Page(5, 7, true));
        assertThat(Page.first(3)).isEqualTo(new Page(0, 3, false));
    }

    @Test
    void aDialectsPageSizeCapsOrRefusesWhatClientsAsk() {
        var sizes = new PageSize(50, 200);
        assertThat(sizes.capped(null)).isEqualTo(50);
        assertThat(sizes.capped(1000)).isEqualTo(200);
        assertThat(sizes.capped(200)).isEqualTo(200);
        assertThat(sizes.capped(-5)).isZero();
        assertThat(sizes.allows(200)).isTrue();
        assertThat(sizes.allows(201)).isFalse();
        assertThat(sizes.allows(0)).isFalse();
        assertThatThrownBy(() -> new PageSize(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PageSize(20, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void invalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(Failure.class).hasMessageContaining(message)
                .extracting(e -> ((Failure) e).kind()).isEqualTo(Failure.Kind.INVALID);
    }
}

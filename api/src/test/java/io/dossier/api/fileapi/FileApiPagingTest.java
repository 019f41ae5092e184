package io.dossier.api.fileapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import io.dossier.core.paging.Page;
import org.junit.jupiter.api.Test;

/** File API pages: 20 files by default, up to 1000 per page; a pageSize outside 1..1000 is a bad request. */
class FileApiPagingTest {

    @Test
    void pagesHoldUpToAThousandFiles() {
        assertThat(FileApi.PAGES.standard()).isEqualTo(20);
        assertThat(FileApi.page(0, 1000)).isEqualTo(new Page(0, 1000, true));
        assertThat(FileApi.page(3, 1000)).isEqualTo(new Page(3000, 1000, true));
        assertThat(FileApi.page(2, 20)).isEqualTo(new Page(40, 20, true));
        assertThat(FileApi.page(1_073_741_823, 2).offset()).isEqualTo(2_147_483_646);
    }

    @Test
    void largerOrEmptyPagesAreRefusedNotCut() {
        invalid(() -> FileApi.page(0, 1001), "pageSize must be between 1 and 1000");
        invalid(() -> FileApi.page(0, 0), "pageSize must be between 1 and 1000");
        invalid(() -> FileApi.page(0, -5), "pageSize must be between 1 and 1000");
        invalid(() -> FileApi.page(-1, 10), "pageIndex must be 0 or more");
        invalid(() -> FileApi.page(Integer.MAX_VALUE, 2), "pageIndex is too large: pageIndex × pageSize must stay below 2147483647");
    }

    private static void invalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(Failure.class).hasMessage(message)
                .extracting(e -> ((Failure) e).kind()).isEqualTo(Failure.Kind.INVALID);
    }
}

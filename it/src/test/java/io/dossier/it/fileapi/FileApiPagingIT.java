package io.dossier.it.fileapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The File API's own page sizes, set by the dialect and not by core: a page holds up to 1000 files
 * (not OWS's 200), and a larger pageSize is refused rather than cut.
 */
class FileApiPagingIT {

    static final int FILES = 1001;

    @Test
    void aPageHoldsAThousandFilesAndTheNextOneTheRest() throws Exception {
        var server = TestServer.shared();
        var tenant = FileApiClient.newTenant(server);
        var subscriber = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7301L);
        var publisher = FileApiClient.app(server, tenant, DeliveryRole.PUBLISHER, 7301L);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var futures = IntStream.range(0, FILES)
                    .mapToObj(i -> pool.submit(() -> publisher.publishOk("f" + i + ".txt", 7301L, ("file " + i).getBytes(StandardCharsets.UTF_8))))
                    .toList();
            for (var future : futures) {
                future.get();
            }
        }

        var first = subscriber.list("&pageIndex=0&pageSize=1000");
        assertThat(first.path("pageSize").asInt()).isEqualTo(1000);
        assertThat(first.path("count").asInt()).isEqualTo(FILES);
        assertThat(first.path("data").size()).isEqualTo(1000);
        var second = subscriber.list("&pageIndex=1&pageSize=1000");
        assertThat(second.path("data").size()).isEqualTo(1);
        var ids = new HashSet<String>();
        first.path("data").forEach(f -> ids.add(f.path("fileId").asText()));
        second.path("data").forEach(f -> ids.add(f.path("fileId").asText()));
        assertThat(ids).hasSize(FILES);

        var published = publisher.get("/fileapi/v1.0/files?role=publisher&pageIndex=0&pageSize=1000");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        assertThat(FileApiClient.json(published.body()).path("data").size()).isEqualTo(1000);

        var standard = subscriber.list("");
        assertThat(standard.path("pageSize").asInt()).isEqualTo(20);
        assertThat(standard.path("data").size()).isEqualTo(20);

        for (var client : new FileApiClient[] {subscriber, publisher}) {
            var role = client == subscriber ? "subscriber" : "publisher";
            var tooLarge = client.get("/fileapi/v1.0/files?role=" + role + "&pageSize=1001");
            FileApiHostileInputIT.assertFileApiError(tooLarge.statusCode(), tooLarge.body(), 400, "pageSize must be between 1 and 1000");
        }
    }
}

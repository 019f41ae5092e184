package io.dossier.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.it.support.StorageSetup;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The first start of {@code dossier dev} builds the embedded database's full-text indexes once the
 * demo is seeded, after it is ready, instead of row by row in the seed (until then searches check
 * every row: FullTextSearchH2UnbuiltTest). A {@code kill -9} while it runs leaves a database whose
 * next start builds the indexes again, at open, and a start after a build that ended builds nothing;
 * searches find the same vacancies after each.
 */
class SearchIndexBuildIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String BUILT = "full-text indexes of";
    private static final List<String> WORDS = List.of("developer", "java", "team");

    @Test
    void aKillDuringTheBuildHasTheNextStartBuildAgainAndSearchesFindTheSame() throws Exception {
        Assumptions.assumeTrue(StorageSetup.kind() == StorageSetup.Kind.EMBEDDED, "dossier dev runs on the embedded database");
        var logs = CrashIT.logFolder("search-index");
        Files.createDirectories(logs);
        var data = logs.resolve("data");
        int port = Node.freePort();

        boolean builtBeforeKill;
        try (var node = launch(logs, "first", data, port)) {
            node.awaitReady(Deployment.STARTUP);
            // the build takes about a second after ready: the kill falls in it, or (on a slow day) after it
            node.kill();
            builtBeforeKill = log(logs, "first").contains(BUILT);
        }

        Map<String, List<String>> found;
        try (var node = launch(logs, "second", data, port)) {
            node.awaitReady(Deployment.STARTUP);
            found = search(node, data);
            var second = log(logs, "second");
            if (builtBeforeKill) {
                assertThat(second).as("a build that ended is not done again").doesNotContain(BUILT);
            } else {
                assertThat(second).as("the build the kill cut off is done again at open").contains(BUILT);
                assertThat(second.indexOf(BUILT)).as("before the node listened").isLessThan(second.indexOf("Dossier listening"));
            }
            node.stop();
        }
        assertThat(found.get("developer")).isNotEmpty();

        try (var node = launch(logs, "third", data, port)) {
            node.awaitReady(Deployment.STARTUP);
            assertThat(search(node, data)).isEqualTo(found);
            node.stop();
            assertThat(log(logs, "third")).as("a build that ended is not done again").doesNotContain(BUILT);
        }
    }

    private static Node launch(Path logs, String name, Path data, int port) {
        return Node.launch(name, port, List.of("dev", "--data", data.toString(), "--port", Integer.toString(port)), Map.of(),
                logs.resolve(name + ".log"));
    }

    private static String log(Path logs, String name) throws IOException {
        return Files.readString(logs.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    /** Word → the uids of the demo vacancies whose title or description holds it, best first, as the OTYS plugin searches. */
    private static Map<String, List<String>> search(Node node, Path data) throws Exception {
        var apiKey = JSON.readTree(data.resolve("demo-credentials.json").toFile()).path("ows").path("apiKey").asText();
        var session = rpc(node, "{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + apiKey + "\"],\"id\":1}").asText();
        var out = new LinkedHashMap<String, List<String>>();
        for (var word : WORDS) {
            var result = rpc(node, """
                    {"jsonrpc":"2.0","method":"Otys.Services.VacancyService.getListEx","params":["%s",{"search":{"ACTONOMY":{"DATA":\
                    {"keywords":{"options":{"enableExpansion":false,"required":true,"searchList":["title","description"],\
                    "searchMode":"one"},"value":"%s"}},"OPTIONS":{"getTotalCount":1,"limit":500,"offset":0,"sort":{"SCORE":"DESC"}},\
                    "VERSION":2,"SUB_VERSION":0}},"limit":500,"getTotalCount":1,"what":{"uid":1}}],"id":1}""".formatted(session, word));
            var uids = new ArrayList<String>();
            result.path("listOutput").forEach(item -> uids.add(item.path("uid").asText()));
            assertThat(result.path("totalCount").asInt()).isEqualTo(uids.size());
            out.put(word, uids);
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode rpc(Node node, String body) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(node.uri("/ows/jservice.php")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        var json = JSON.readTree(response.body());
        assertThat(json.has("error")).as("no error in %s", response.body()).isFalse();
        return json.path("result");
    }
}

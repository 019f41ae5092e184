package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CaseInsensitivePathsTest {

    @Test
    void literalSegmentsTakeTheTemplatesSpellingAndParametersKeepTheClients() {
        var paths = new CaseInsensitivePaths();
        paths.add("/yf/v1.0/Persons/{personId}/Documents");
        paths.add("/yf/connect/token");
        assertThat(paths.canonical("/YF/V1.0/persons/AbC-12/documents")).isEqualTo("/yf/v1.0/Persons/AbC-12/Documents");
        assertThat(paths.canonical("/yf/Connect/TOKEN")).isEqualTo("/yf/connect/token");
        assertThat(paths.canonical("/yf/connect/token/")).as("exact but for the slash: untouched").isEqualTo("/yf/connect/token/");
        assertThat(paths.canonical("/yf/Connect/TOKEN/")).isEqualTo("/yf/connect/token/");
    }

    @Test
    void anExactMatchOrNoMatchLeavesThePathAlone() {
        var paths = new CaseInsensitivePaths();
        paths.add("/yf/files/{id}");
        paths.add("/yf/files/latest");
        assertThat(paths.canonical("/yf/files/LATEST")).as("an exact match with a parameter wins").isEqualTo("/yf/files/LATEST");
        assertThat(paths.canonical("/yf/other")).isEqualTo("/yf/other");
        assertThat(paths.canonical("/ows/jservice.php")).isEqualTo("/ows/jservice.php");
        assertThat(new CaseInsensitivePaths().canonical("/A")).isEqualTo("/A");
    }

    /** A dialect with two routes that echo what they received. */
    record Echo(String name, boolean caseInsensitivePaths) implements Dialect {
        @Override
        public ErrorShape errors() {
            return (ctx, failure) -> ctx.result("refused: " + failure.getMessage());
        }

        @Override
        public void routes(Routes routes) {
            routes.get("/Things/{id}", ctx -> ctx.result("thing " + ctx.pathParam("id") + " at " + ctx.path()))
                    .get("/jservice.php", ctx -> ctx.result("json"));
        }
    }

    @Test
    void overHttpOnlyTheDialectThatOptsInMatchesAnyCase() throws Exception {
        try (var app = new TestApp(new Echo("loose", true), new Echo("strict", false))) {
            var loose = app.get("/LOOSE/things/MiXeD?x=1");
            assertThat(loose.statusCode()).isEqualTo(200);
            assertThat(loose.body()).isEqualTo("thing MiXeD at /loose/Things/MiXeD");
            assertThat(app.get("/loose/JSERVICE.PHP").body()).isEqualTo("json");

            assertThat(app.get("/strict/Things/MiXeD").body()).isEqualTo("thing MiXeD at /strict/Things/MiXeD");
            assertThat(app.get("/strict/jservice.php").body()).isEqualTo("json");
            assertThat(app.get("/strict/things/MiXeD").statusCode()).isEqualTo(404);
            assertThat(app.get("/STRICT/jservice.php").statusCode()).isEqualTo(404);
        }
    }
}

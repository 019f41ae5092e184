package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.dossier.core.Failure;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The guarantees Routes gives every dialect, over a real socket. */
class RoutesTest {

    private static final Pattern REFERENCE = Pattern.compile("reference ([0-9a-f]{8})");

    /** A dialect with its own JSON error body: {@code {"kind","text"}}. */
    record Plain(String name, Consumer<Routes> declare, ErrorShape errors) implements Dialect {
        Plain(String name, Consumer<Routes> declare) {
            this(name, declare, (ctx, failure) -> Json.write(ctx, ctx.statusCode(),
                    Map.of("kind", failure.kind().name(), "text", failure.getMessage())));
        }

        @Override
        public void routes(Routes routes) {
            declare.accept(routes);
        }
    }

    @Test
    void eachFailureKindGetsItsStatusAndTheDialectsBody() throws Exception {
        var dialect = new Plain("d", routes -> {
            for (var kind : Failure.Kind.values()) {
                routes.get("/" + kind.name(), ctx -> {
                    throw new Failure(kind, "refused as " + kind);
                });
            }
        });
        try (var app = new TestApp(dialect)) {
            for (var kind : Failure.Kind.values()) {
                var response = app.get("/d/" + kind.name());
                assertThat(response.statusCode()).as(kind.name()).isEqualTo(FailureStatus.of(kind));
                assertThat(response.body()).contains("\"kind\":\"" + kind.name() + "\"").contains("refused as " + kind);
            }
        }
    }

    @Test
    void anUnexpectedExceptionIsAnswered500InTheDialectsShapeWithTheReferenceItWasLoggedUnder() throws Exception {
        var dialect = new Plain("d", routes -> routes.get("/bug", ctx -> {
            throw new IllegalStateException("a bug");
        }));
        try (var app = new TestApp(dialect)) {
            var response = app.get("/d/bug");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("\"kind\":\"INTERNAL\"").doesNotContain("a bug").doesNotContain("IllegalStateException");
            var matcher = REFERENCE.matcher(response.body());
            assertThat(matcher.find()).as(response.body()).isTrue();
            var reference = matcher.group(1);
            assertThat(app.logged()).filteredOn(e -> e.getFormattedMessage().contains(reference)).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getThrowableProxy().getMessage()).isEqualTo("a bug");
            });
        }
    }

    /** Storage that cannot do the work now (a lock wait that ran out): 503 with Retry-After, no reference, its cause in one warning line. */
    @Test
    void aBusyDatabaseIsAnsweredUnavailableWithRetryAfterAndLoggedAsAWarning() throws Exception {
        var dialect = new Plain("d", routes -> routes.get("/busy", ctx -> {
            throw Failure.unavailable("the database is busy; try again shortly", java.time.Duration.ofSeconds(1),
                    new java.sql.SQLException("Timeout trying to lock table", "HYT00"));
        }));
        try (var app = new TestApp(dialect)) {
            var response = app.get("/d/busy");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(response.body()).contains("\"kind\":\"UNAVAILABLE\"").contains("the database is busy").doesNotContain("reference");
            assertThat(app.logged()).filteredOn(e -> e.getFormattedMessage().contains("answered unavailable")).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("GET /d/busy").contains("Timeout trying to lock table");
            });
        }
    }

    @Test
    void aDialectWhoseErrorShapeFailsStillAnswers500WithALoggedReference() throws Exception {
        var dialect = new Plain("d", routes -> routes.get("/x", ctx -> {
            throw Failure.notFound("nothing here");
        }), (ctx, failure) -> {
            throw new IllegalStateException("the shape itself is broken");
        });
        try (var app = new TestApp(dialect)) {
            var response = app.get("/d/x");
            assertThat(response.statusCode()).isEqualTo(500);
            var matcher = REFERENCE.matcher(response.body());
            assertThat(matcher.find()).as(response.body()).isTrue();
            assertThat(app.logged()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(matcher.group(1)));
        }
    }

    @Test
    void malformedJsonIsInvalidInputNotABug() throws Exception {
        var dialect = new Plain("d", routes -> routes.get("/json", ctx -> Json.MAPPER.readTree("{nope")));
        try (var app = new TestApp(dialect)) {
            var response = app.get("/d/json");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("malformed JSON");
            assertThat(app.logged()).noneMatch(e -> e.getLevel() == Level.ERROR);
        }
    }
}

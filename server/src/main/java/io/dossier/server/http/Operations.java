package io.dossier.server.http;

import io.dossier.api.http.Responses;
import io.dossier.api.http.Routes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health, metrics and the access log. Every request passes {@link #record} once it is done: one
 * log line, one counter increment and one latency observation, labelled with the dialect and the
 * route template (never the raw path, which would make labels unbounded).
 */
public final class Operations {

    private static final Logger ACCESS = LoggerFactory.getLogger("dossier.access");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Counter jobAttempts;
    private final Counter damagedBlobs;
    private final Map<String, BooleanSupplier> readiness;

    /** {@code readiness}: named checks that must all pass for {@code /health/ready}. */
    public Operations(Map<String, BooleanSupplier> readiness) {
        this.readiness = readiness;
        this.requests = Counter.builder()
                .name("dossier_http_requests_total")
                .help("HTTP requests by dialect, route, method and status")
                .labelNames("dialect", "route", "method", "status")
                .register(registry);
        this.latency = Histogram.builder()
                .name("dossier_http_request_duration_seconds")
                .help("HTTP request latency by dialect and route")
                .labelNames("dialect", "route")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        this.jobAttempts = Counter.builder()
                .name("dossier_job_attempts_total")
                .help("Job attempts run on this node by kind and outcome (done, failed, dead, lost)")
                .labelNames("kind", "outcome")
                .register(registry);
        this.damagedBlobs = Counter.builder()
                .name("dossier_damaged_blobs_found_total")
                .help("Damaged blobs found on this node (a chunk failing its CRC32C on a read, or a SHA-256 failing the scrub), by finder")
                .labelNames("found_by")
                .register(registry);
        // JvmMetrics minus JvmNativeMemoryMetrics: that one asks the JVM's diagnostic command for a
        // native-memory summary to find whether tracking is on (it is not: it costs memory and
        // speed), which took a quarter of a second of every start.
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryPoolAllocationMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    void routes(JavalinConfig config) {
        config.routes.get("/health/live", ctx -> Responses.send(ctx, 200, "application/json", "{\"status\":\"UP\"}"));
        config.routes.get("/health/ready", this::ready);
        config.routes.get("/metrics", this::metrics);
    }

    private void ready(Context ctx) {
        var checks = new LinkedHashMap<String, String>();
        var up = true;
        for (var check : readiness.entrySet()) {
            boolean ok;
            try {
                ok = check.getValue().getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            checks.put(check.getKey(), ok ? "UP" : "DOWN");
            up &= ok;
        }
        var body = new StringBuilder("{\"status\":\"").append(up ? "UP" : "DOWN").append("\",\"checks\":{");
        var first = true;
        for (var entry : checks.entrySet()) {
            body.append(first ? "" : ",").append('"').append(entry.getKey()).append("\":\"").append(entry.getValue()).append('"');
            first = false;
        }
        body.append("}}");
        Responses.send(ctx, up ? 200 : 503, "application/json", body.toString());
    }

    private void metrics(Context ctx) throws IOException {
        var out = new ByteArrayOutputStream(64 * 1024);
        var writer = PrometheusTextFormatWriter.create();
        writer.write(out, registry.scrape());
        Responses.send(ctx, 200, writer.getContentType(), out.toByteArray());
    }

    /** Counts damaged blobs found on this node (by reads and by the scrub). */
    public void damagedBlobFound(io.dossier.core.content.DamagedBlobException damaged) {
        damagedBlobs.labelValues(damaged.foundBy()).inc();
    }

    /** Counts one attempt of a job run on this node. */
    public void jobAttempted(String kind, String outcome, java.time.Duration took) {
        jobAttempts.labelValues(kind, outcome).inc();
    }

    void record(Context ctx, Float millis) {
        String dialect = ctx.attribute(Routes.DIALECT_ATTRIBUTE);
        String route = ctx.attribute(Routes.ROUTE_ATTRIBUTE);
        if (dialect == null) {
            dialect = "none";
            route = ctx.path().startsWith("/health/") || ctx.path().equals("/metrics") ? ctx.path() : "unmatched";
        } else if (route == null) {
            route = "unmatched";
        }
        var status = Integer.toString(ctx.statusCode());
        requests.labelValues(dialect, route, ctx.method().name(), status).inc();
        latency.labelValues(dialect, route).observe(millis / 1000.0);
        if (ACCESS.isInfoEnabled()) {
            // written out here: the same line as a "{} \"{} {} {}\" …" pattern gives, without parsing the pattern per request
            var line = new StringBuilder(128).append(ctx.ip()).append(" \"").append(ctx.method().name()).append(' ').append(ctx.path())
                    .append(' ').append(ctx.protocol()).append("\" ").append(status).append(' ');
            tenths(line, millis).append("ms dialect=").append(dialect).append(" route=").append(route);
            ACCESS.info(line.toString());
        }
    }

    /** Appends {@code millis} with one decimal, as {@code %.1f} would write it, without a Formatter per request. */
    static StringBuilder tenths(StringBuilder out, float millis) {
        long tenths = Math.round(millis * 10.0);
        return out.append(tenths / 10).append('.').append(tenths % 10);
    }

}

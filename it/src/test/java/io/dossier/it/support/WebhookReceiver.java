package io.dossier.it.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver of webhook notifications on a free loopback port: it records every POST
 * (path, headers, body, arrival) and answers each path from a script of statuses ({@link #HANG}: no
 * answer until the receiver closes, or {@link #SLOW} for a few seconds), 200 once the script is used up.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** An answer that never comes (until {@link #close}). */
    public static final int HANG = -1;

    public record Received(String path, Map<String, String> headers, String body, long arrivedNanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ConcurrentLinkedDeque<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Integer> fallback = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                var headers = new TreeMap<String, String>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.getFirst()));
                var path = exchange.getRequestURI().getPath();
                received.add(new Received(path, headers, body, System.nanoTime()));
                var script = scripts.get(path);
                Integer status = script == null ? null : script.poll();
                if (status == null) {
                    status = fallback.getOrDefault(path, 200);
                }
                if (status == HANG) {
                    try {
                        closing.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The answers to the next requests to {@code path}, in order. */
    public void script(String path, Integer... statuses) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(statuses));
    }

    /** The answer once the script of {@code path} is used up (200 unless set). */
    public void always(String path, int status) {
        fallback.put(path, status);
    }

    public List<Received> received(String path) {
        synchronized (received) {
            return received.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    /** Waits until {@code path} has had {@code count} requests; returns them. */
    public List<Received> await(String path, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> got;
        while ((got = received(path)).size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return got;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

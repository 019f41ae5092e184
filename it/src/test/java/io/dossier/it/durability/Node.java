package io.dossier.it.durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Dossier server as a separate OS process ({@code java … io.dossier.server.Main dev|start}), so
 * that it can be killed with SIGKILL like a crashed machine. The child runs on the JDK and the
 * classpath of this JVM, which hold the server and its dependencies; its output goes to a log file.
 */
final class Node implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Modest heap, serial GC and C1 only: several nodes, s3proxy and the clients share two cores. */
    private static final List<String> JVM_FLAGS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final long launchedAt;

    private Node(String name, int port, Process process, Path log, long launchedAt) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.launchedAt = launchedAt;
    }

    /**
     * Launches {@code Main} with {@code arguments} and {@code environment} (every other
     * {@code DOSSIER_*} variable of this process is left out) and returns at once; see {@link #awaitReady}.
     */
    static Node launch(String name, int port, List<String> arguments, Map<String, String> environment, Path log) {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.dossier.server.Main");
        command.addAll(arguments);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("DOSSIER_"));
        builder.environment().putAll(environment);
        try {
            return new Node(name, port, builder.start(), log, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + name, e);
        }
    }

    /** A port nothing listens on right now (another process could take it first; the node would then fail to start). */
    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the first 200 of {@code /health/ready} and returns the time from launch to then. */
    Duration awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; its log:\n" + logTail());
            }
            try {
                var response = PROBE.send(HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - launchedAt);
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; its log:\n" + logTail());
    }

    /** SIGKILL, as a power cut would: no shutdown hook, no flush. Returns once the process is gone. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the graceful stop of an operator. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Writes the process's threads to {@code folder}: {@code jcmd Thread.print -l} (platform threads, the
     * locks they hold) and {@code Thread.dump_to_file} (virtual threads too, which run the handlers and
     * which the first leaves out). For a node that stops making progress; returns the files written.
     */
    List<Path> dumpThreads(Path folder, String label) {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        var platform = folder.resolve(name + "-" + label + "-threads.txt").toAbsolutePath();
        var all = folder.resolve(name + "-" + label + "-all-threads.txt").toAbsolutePath();
        try {
            Files.deleteIfExists(all);
            run(new ProcessBuilder(jcmd, Long.toString(process.pid()), "Thread.print", "-l").redirectErrorStream(true)
                    .redirectOutput(platform.toFile()));
            run(new ProcessBuilder(jcmd, Long.toString(process.pid()), "Thread.dump_to_file", "-format=text", all.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump the threads of " + this, e);
        }
        return List.of(platform, all);
    }

    private static void run(ProcessBuilder command) throws IOException {
        var process = command.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String logTail() {
        try {
            var text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() <= 6000 ? text : "…" + text.substring(text.length() - 6000);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the process if it still runs: a failed test leaves no server behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + ", pid " + process.pid() + ")";
    }
}

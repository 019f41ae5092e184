package io.dossier.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal SMTP server on a free local port that accepts every message and records each line it receives. */
public final class FakeSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public FakeSmtpServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        thread = Thread.ofVirtual().start(this::serve);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Every line received so far, commands and message data. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (var client = socket.accept()) {
                var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                var out = client.getOutputStream();
                reply(out, "220 fake ESMTP");
                String line;
                boolean data = false;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (data) {
                        if (line.equals(".")) {
                            data = false;
                            reply(out, "250 queued");
                        }
                        continue;
                    }
                    var command = line.toUpperCase(Locale.ROOT);
                    if (command.startsWith("DATA")) {
                        data = true;
                        reply(out, "354 go ahead");
                    } else if (command.startsWith("QUIT")) {
                        reply(out, "221 bye");
                        break;
                    } else {
                        reply(out, "250 ok");
                    }
                }
            } catch (IOException closedOrGone) {
                // the next connection, or the end
            }
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
            thread.join(5000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

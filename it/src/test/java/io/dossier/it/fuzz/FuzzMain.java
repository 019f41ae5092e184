package io.dossier.it.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * The command-line entry point run by bench/fuzz.sh against a server it started:
 * <pre>
 *   FuzzMain --port 8080 --credentials data/demo-credentials.json [--seed 1] [--requests 20000]
 *            [--concurrency 4] [--max-seconds 3600] [--out folder] [--server-log file]
 *   FuzzMain --port 8080 --replay folder/000123-ows-json.http …
 * </pre>
 * Exit code 0 when the run passed, 1 when it found a 5xx, a hang or an unready server, 2 on bad usage.
 */
public final class FuzzMain {

    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = -1;
        Path credentials = null;
        Path out = null;
        Path serverLog = null;
        long seed = 1;
        int requests = 20_000;
        int concurrency = 4;
        long maxSeconds = 3600;
        var replay = new ArrayList<Path>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--credentials" -> credentials = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--max-seconds" -> maxSeconds = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--server-log" -> serverLog = Path.of(args[++i]);
                case "--replay" -> {
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        replay.add(Path.of(args[++i]));
                    }
                }
                default -> {
                    System.err.println("FuzzMain: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (port < 0 || (replay.isEmpty() && credentials == null)) {
            System.err.println("FuzzMain: --port and --credentials (or --replay files) are required");
            System.exit(2);
        }
        if (!replay.isEmpty()) {
            System.exit(replay(host, port, replay) ? 0 : 1);
        }
        var fuzzer = Fuzzer.against(host, port, credentials);
        var report = fuzzer.run(new Fuzzer.Options(seed, requests, concurrency, 10_000, maxSeconds * 1000), System.out);
        if (serverLog != null) {
            report = report.withCausesFrom(serverLog);
        }
        report.print(System.out);
        if (out != null && !report.findings().isEmpty()) {
            var saved = report.save(out);
            System.out.println("requests of the findings, replayable: " + saved.size() + " files in " + out
                    + " (bench/fuzz.sh --replay <file>… against a server started on the same data folder)");
        }
        System.exit(report.failed() ? 1 : 0);
    }

    /** Sends each saved request as is and prints the answer's status and start. */
    private static boolean replay(String host, int port, ArrayList<Path> files) throws Exception {
        boolean passed = true;
        for (var file : files) {
            var bytes = Files.readAllBytes(file);
            var head = bytes.length > 5 && new String(bytes, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("HEAD ");
            var request = new FuzzRequest("replay", bytes, false, 1, head);
            var answer = RawExchange.send(host, port, bytes, 1, head, 10_000);
            var verdict = Fuzzer.judge(request, answer);
            passed &= verdict == null;
            var text = new String(answer.bytes(), 0, Math.min(answer.bytes().length, 1500), java.nio.charset.StandardCharsets.UTF_8);
            System.out.printf("%s: %s%n%s%n", file, verdict == null ? "ok (" + answer.status() + ")" : verdict, text);
        }
        return passed;
    }
}

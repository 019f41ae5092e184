package io.dossier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsEveryCommand() {
        var out = new StringWriter();
        var cli = Main.commandLine(new String[] {"--help"});
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("dev", "start", "tenant", "user", "client", "admin-token", "fileapi");
    }

    @Test
    void aNamedCommandGetsOnlyItsOwnModel() {
        var cli = Main.commandLine(new String[] {"tenant", "list"});
        assertThat(cli.getSubcommands()).containsOnlyKeys("tenant");
        assertThat(cli.getSubcommands().get("tenant").getSubcommands()).containsKeys("create", "list");
    }

    @Test
    void anUnknownCommandIsRefusedNamingTheCommands() {
        var err = new StringWriter();
        var cli = Main.commandLine(new String[] {"nonsense"});
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("nonsense")).isNotZero();
        assertThat(err.toString()).contains("nonsense").contains("admin-token");
    }

    @Test
    void theServerCommandsReadTheirPlainOptionsAsPicocliWould() {
        for (var args : java.util.List.of(new String[] {"dev"}, new String[] {"dev", "--port", "9090"}, new String[] {"dev", "--port=0"},
                new String[] {"dev", "--data", "some folder", "--port", "18080"}, new String[] {"dev", "--data=./x=y"})) {
            var fast = (Main.Dev) Main.serverCommand(args).orElseThrow();
            var parsed = (Main.Dev) Main.commandLine(args).parseArgs(args).subcommand().commandSpec().userObject();
            assertThat(fast.port).as(String.join(" ", args)).isEqualTo(parsed.port);
            assertThat(fast.data).as(String.join(" ", args)).isEqualTo(parsed.data);
        }
        var start = (Main.Start) Main.serverCommand(new String[] {"start", "--config", "dossier.conf"}).orElseThrow();
        assertThat(start.config).isEqualTo(java.nio.file.Path.of("dossier.conf"));
        assertThat(((Main.Start) Main.serverCommand(new String[] {"start"}).orElseThrow()).config).isNull();
    }

    @Test
    void anythingElseGoesToPicocliWhichExplains() {
        for (var args : java.util.List.of(new String[] {}, new String[] {"dev", "--help"}, new String[] {"dev", "--port"},
                new String[] {"dev", "--port", "eighty"}, new String[] {"dev", "--verbose", "x"}, new String[] {"start", "--port", "1"},
                new String[] {"dev", "--port="}, new String[] {"dev", "--port", "1", "--port", "2"}, new String[] {"tenant", "list"}, new String[] {"--version"})) {
            assertThat(Main.serverCommand(args)).as(String.join(" ", args)).isEmpty();
        }
    }
}
